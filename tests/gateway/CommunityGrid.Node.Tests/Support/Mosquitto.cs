using CommunityGrid.Peering.Transport;
using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Net.Sockets;
using System.Text;
using System.Threading.Tasks;

namespace CommunityGrid.Node.Tests.Support;

/// <summary>
/// A private Mosquitto on a free loopback port, configured as docs/operations.md describes: a password file with
/// the gateway and each meter (its key-derived password), and an ACL that lets a meter write only its own
/// readings topic and read only its own acks and display topics.
/// </summary>
public sealed class Mosquitto : IDisposable
{
    public const string GatewayUser = "gateway";

    private readonly Process process;

    private Mosquitto(Process process, int port, string gatewayPassword)
    {
        this.process = process;
        Port = port;
        GatewayPassword = gatewayPassword;
    }

    public int Port { get; }

    public string GatewayPassword { get; }

    public StringBuilder Output { get; } = new();

    public static string Binary => File.Exists("/usr/sbin/mosquitto") ? "/usr/sbin/mosquitto" : "mosquitto";

    /// <param name="meterPasswords">meter id → password to put in the broker's password file.</param>
    public static async Task<Mosquitto> StartAsync(string directory, string chainId, IReadOnlyDictionary<string, string> meterPasswords)
    {
        if (!File.Exists("/usr/sbin/mosquitto") || !File.Exists("/usr/bin/mosquitto_passwd"))
        {
            Assert.Fail("Mosquitto is not installed; install it with `apt-get install -y mosquitto` (./test.sh does this).");
        }
        Directory.CreateDirectory(directory);
        string passwords = Path.Combine(directory, "passwd");
        string gatewayPassword = Guid.NewGuid().ToString("N");
        File.WriteAllText(passwords, "");
        await RunPasswdAsync(passwords, GatewayUser, gatewayPassword);
        foreach ((string meter, string password) in meterPasswords) await RunPasswdAsync(passwords, meter, password);
        string acl = Path.Combine(directory, "acl");
        File.WriteAllText(acl, $"""
            user {GatewayUser}
            topic read cg/{chainId}/meters/+/readings
            topic write cg/{chainId}/meters/+/acks
            topic write cg/{chainId}/meters/+/display
            topic write cg/{chainId}/meters/+/proofs

            pattern write cg/{chainId}/meters/%u/readings
            pattern read cg/{chainId}/meters/%u/acks
            pattern read cg/{chainId}/meters/%u/display
            pattern read cg/{chainId}/meters/%u/proofs

            """);
        int port = LoopbackPorts.Reserve();
        string config = Path.Combine(directory, "mosquitto.conf");
        File.WriteAllText(config, $"""
            per_listener_settings false
            allow_anonymous false
            password_file {passwords}
            acl_file {acl}
            max_packet_size 16384
            persistence false
            log_dest stdout
            log_type error
            log_type warning
            log_type notice
            listener {port} 127.0.0.1
            use_username_as_clientid true

            """);
        var start = new ProcessStartInfo(Binary) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(config);
        var broker = new Mosquitto(Process.Start(start)!, port, gatewayPassword);
        broker.process.OutputDataReceived += (_, e) => { lock (broker.Output) broker.Output.AppendLine(e.Data); };
        broker.process.ErrorDataReceived += (_, e) => { lock (broker.Output) broker.Output.AppendLine(e.Data); };
        broker.process.BeginOutputReadLine();
        broker.process.BeginErrorReadLine();
        DateTime until = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (true)
        {
            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync("127.0.0.1", port);
                return broker;
            }
            catch (SocketException) when (DateTime.UtcNow < until && !broker.process.HasExited)
            {
                await Task.Delay(50);
            }
            catch (SocketException)
            {
                string output;
                lock (broker.Output) output = broker.Output.ToString();
                broker.Dispose();
                Assert.Fail($"mosquitto did not start on port {port}:\n{output}");
            }
        }
    }

    private static async Task RunPasswdAsync(string file, string user, string password)
    {
        var start = new ProcessStartInfo("mosquitto_passwd") { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (string arg in new[] { "-b", file, user, password }) start.ArgumentList.Add(arg);
        using Process passwd = Process.Start(start)!;
        await passwd.WaitForExitAsync();
        Assert.True(passwd.ExitCode == 0, $"mosquitto_passwd failed for {user}: {await passwd.StandardError.ReadToEndAsync()}");
    }

    public void Dispose()
    {
        if (!process.HasExited)
        {
            process.Kill();
            process.WaitForExit(5000);
        }
        process.Dispose();
    }
}
