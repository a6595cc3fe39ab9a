using CommunityGrid.Peering.Transport;
using System;
using System.Diagnostics;
using System.IO;
using System.Net.Sockets;
using System.Text;
using System.Threading;

namespace CommunityGrid.Meter.Linux.Tests.Broker;

/// <summary>
/// A real Mosquitto broker (Debian package) on a free loopback port, anonymous, without persistence: started from a
/// generated config, waited for until it accepts TCP connections (bounded), stoppable and restartable on the same
/// port to make an outage, killed on Dispose. Fails with a clear message, never skips, when mosquitto is missing.
/// </summary>
public sealed class MosquittoBroker : IDisposable
{
    private const string Executable = "/usr/sbin/mosquitto";
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(10);
    private readonly string _directory;
    private readonly string _configPath;
    private readonly StringBuilder _output = new();
    private Process? _process;

    /// <param name="tls">Also open a TLS listener (<see cref="TlsPort"/>) with a broker certificate from a fresh test CA.</param>
    public MosquittoBroker(bool tls = false)
    {
        if (!File.Exists(Executable))
        {
            throw new InvalidOperationException($"{Executable} is missing: the MQTT tests need Debian's mosquitto broker. " +
                "Run the repository's test script (it installs it), or: apt-get install -y mosquitto");
        }
        _directory = Directory.CreateTempSubdirectory("cg-mosquitto-").FullName;
        Port = LoopbackPorts.Reserve();
        _configPath = Path.Combine(_directory, "mosquitto.conf");
        string config = $"allow_anonymous true\npersistence false\nlog_dest stdout\nlog_type error\nlog_type warning\nlistener {Port} 127.0.0.1\n";
        if (tls)
        {
            Certificates = new TestCertificates(_directory);
            TlsPort = LoopbackPorts.Reserve();
            config += $"listener {TlsPort} 127.0.0.1\ncafile {Certificates.CaFile}\ncertfile {Certificates.CertificateFile}\nkeyfile {Certificates.KeyFile}\n";
        }
        File.WriteAllText(_configPath, config);
        // Started as root, Mosquitto drops to its own user before it reads the certificate files: let it read
        // this directory (throwaway test keys only).
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(_directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
                | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        }
        Start();
    }

    public int Port { get; }

    public string Url => $"mqtt://127.0.0.1:{Port}";

    /// <summary>The TLS listener's port, 0 without TLS.</summary>
    public int TlsPort { get; }

    public string TlsUrl => $"mqtts://127.0.0.1:{TlsPort}";

    public TestCertificates? Certificates { get; }

    public bool IsRunning => _process is { HasExited: false };

    public void Start()
    {
        if (IsRunning) throw new InvalidOperationException("mosquitto is already running");
        var info = new ProcessStartInfo(Executable, $"-c {_configPath}")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        _process = new Process { StartInfo = info };
        _process.OutputDataReceived += (_, e) => Note(e.Data);
        _process.ErrorDataReceived += (_, e) => Note(e.Data);
        _process.Start();
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        WaitUntilAccepting();
    }

    /// <summary>Kills the broker (SIGKILL: an outage, not a polite shutdown) and waits for it to be gone.</summary>
    public void Stop()
    {
        if (_process is null) return;
        if (!_process.HasExited)
        {
            _process.Kill();
            if (!_process.WaitForExit(5000)) throw new TimeoutException("mosquitto did not exit within 5 s of SIGKILL");
        }
        _process.Dispose();
        _process = null;
    }

    public void Dispose()
    {
        try
        {
            Stop();
        }
        catch (InvalidOperationException)
        {
        }
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private void WaitUntilAccepting()
    {
        WaitUntilAccepting(Port);
        if (TlsPort != 0) WaitUntilAccepting(TlsPort);
    }

    private void WaitUntilAccepting(int port)
    {
        var deadline = DateTime.UtcNow + StartTimeout;
        while (true)
        {
            if (_process!.HasExited) throw new InvalidOperationException($"mosquitto exited at start (code {_process.ExitCode}): {Output()}");
            try
            {
                using var client = new TcpClient();
                client.Connect("127.0.0.1", port);
                return;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline)
            {
                Thread.Sleep(25);
            }
            catch (SocketException e)
            {
                throw new TimeoutException($"mosquitto did not accept connections on 127.0.0.1:{port} within {StartTimeout.TotalSeconds} s ({e.Message}): {Output()}");
            }
        }
    }

    private string Output()
    {
        lock (_output) return _output.ToString();
    }

    private void Note(string? line)
    {
        if (line is null) return;
        lock (_output) _output.AppendLine(line);
    }
}
