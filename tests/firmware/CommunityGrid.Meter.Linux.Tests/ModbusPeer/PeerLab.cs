using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Text;
using System.Threading;

namespace CommunityGrid.Meter.Linux.Tests.ModbusPeer;

/// <summary>
/// One test's real peers: socat pty pairs, the pymodbus slave and the corrupting relay, in a private
/// temp directory. Every wait is bounded; Dispose kills every process it started and removes the directory.
/// </summary>
public sealed class PeerLab : IDisposable
{
    public const string Python = "/usr/bin/python3";
    private const string InstallHint =
        "run the repository's test script (it installs them), or: apt-get install -y python3-pymodbus socat";
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(15);

    private readonly List<PeerProcess> _processes = new();

    public PeerLab()
    {
        RequireTools();
        Directory = System.IO.Directory.CreateTempSubdirectory("cg-modbus-").FullName;
    }

    public string Directory { get; }

    /// <summary>Starts socat joining two ptys; returns their link paths once both exist.</summary>
    public (string a, string b) StartPtyPair(string name)
    {
        string a = Path.Combine(Directory, name + "-a");
        string b = Path.Combine(Directory, name + "-b");
        var socat = Start("socat", $"-d -d pty,raw,echo=0,link={a} pty,raw,echo=0,link={b}", waitForReady: false);
        var deadline = DateTime.UtcNow + StartTimeout;
        while (!(File.Exists(a) && File.Exists(b)))
        {
            if (socat.HasExited) throw new InvalidOperationException("socat exited early: " + socat.Output());
            if (DateTime.UtcNow > deadline) throw new TimeoutException("socat did not create " + a + " and " + b + ": " + socat.Output());
            Thread.Sleep(20);
        }
        return (a, b);
    }

    /// <summary>Starts the pymodbus slave on <paramref name="port"/> serving these float32 input registers.</summary>
    public PeerProcess StartSlave(string port, int slaveId, IDictionary<int, float> floats)
    {
        var args = new StringBuilder($"{Script("sdm_peer.py")} --port {port} --slave {slaveId}");
        foreach (var (address, value) in floats)
        {
            args.Append(" --float 0x").Append(address.ToString("X4")).Append('=').Append(value.ToString("R", System.Globalization.CultureInfo.InvariantCulture));
        }
        return Start(Python, args.ToString(), waitForReady: true);
    }

    public PeerProcess StartCorruptingRelay(string masterSide, string slaveSide, int corruptCount)
    {
        return Start(Python, $"{Script("corrupting_relay.py")} --master-side {masterSide} --slave-side {slaveSide} --corrupt {corruptCount}", waitForReady: true);
    }

    public void Dispose()
    {
        foreach (var p in _processes) p.Dispose();
        try { System.IO.Directory.Delete(Directory, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    private PeerProcess Start(string file, string arguments, bool waitForReady)
    {
        var process = new PeerProcess(file, arguments);
        _processes.Add(process);
        if (waitForReady && !process.WaitForLine("ready", StartTimeout))
        {
            throw new TimeoutException($"{file} {arguments} did not report ready within {StartTimeout.TotalSeconds} s: {process.Output()}");
        }
        return process;
    }

    private static string Script(string name)
    {
        string path = Path.Combine(AppContext.BaseDirectory, "ModbusPeer", name);
        if (!File.Exists(path)) throw new FileNotFoundException("peer script not copied to the test output", path);
        return path;
    }

    private static void RequireTools()
    {
        if (!File.Exists(Python))
        {
            Assert.Fail($"{Python} is missing; the Modbus peer tests need Debian's python3 with python3-pymodbus: {InstallHint}");
        }
        if (FindOnPath("socat") == null)
        {
            Assert.Fail("socat is not installed; the Modbus peer tests join ptys with it: " + InstallHint);
        }
        using var probe = new PeerProcess(Python, "-c \"import pymodbus, serial; print('ready', pymodbus.__version__)\"");
        if (!probe.WaitForExit(TimeSpan.FromSeconds(20)) || probe.ExitCode != 0)
        {
            Assert.Fail($"{Python} cannot import pymodbus/pyserial ({probe.Output().Trim()}): " + InstallHint);
        }
    }

    private static string? FindOnPath(string name)
    {
        foreach (string dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':'))
        {
            if (dir.Length > 0 && File.Exists(Path.Combine(dir, name))) return Path.Combine(dir, name);
        }
        foreach (string dir in new[] { "/usr/bin", "/usr/local/bin", "/bin" })
        {
            if (File.Exists(Path.Combine(dir, name))) return Path.Combine(dir, name);
        }
        return null;
    }
}
