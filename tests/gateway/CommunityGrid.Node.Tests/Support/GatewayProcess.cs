using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Threading.Tasks;

namespace CommunityGrid.Node.Tests.Support;

/// <summary>
/// A real gateway: <c>dotnet cgrid.dll gateway run …</c> from the test output directory, its log lines collected. Also
/// compiled into the web app tests (their multi-gateway community), so nothing here may name a node-test type.
/// </summary>
public sealed partial class GatewayProcess : IDisposable
{
    private readonly Process process;

    private GatewayProcess(Process process) => this.process = process;

    public ConcurrentQueue<string> Lines { get; } = new();

    public int Id => process.Id;

    public bool HasExited => process.HasExited;

    public string Log => string.Join('\n', Lines);

    public static async Task<GatewayProcess> StartAsync(string genesisPath, string dataDirectory, string keyPath, params string[] extraArgs)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string arg in new[]
        {
            Path.Combine(AppContext.BaseDirectory, "cgrid.dll"), "gateway", "run",
            "--genesis", genesisPath, "--data", dataDirectory, "--key", keyPath, "--block-period-ms", "100",
        }.Concat(extraArgs))
        {
            start.ArgumentList.Add(arg);
        }
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        var gateway = new GatewayProcess(Process.Start(start) ?? throw new InvalidOperationException("could not start dotnet cgrid.dll"));
        gateway.process.OutputDataReceived += (_, e) => { if (e.Data is not null) gateway.Lines.Enqueue(e.Data); };
        gateway.process.ErrorDataReceived += (_, e) => { if (e.Data is not null) gateway.Lines.Enqueue("stderr: " + e.Data); };
        gateway.process.BeginOutputReadLine();
        gateway.process.BeginErrorReadLine();
        DateTime until = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (!gateway.Lines.Any(l => l.Contains("gateway ready", StringComparison.Ordinal)))
        {
            if (gateway.process.HasExited || DateTime.UtcNow > until)
            {
                string log = gateway.Log;
                bool exited = gateway.process.HasExited;
                gateway.Dispose();
                Assert.Fail($"gateway did not become ready (exited: {exited}); its output:\n{log}");
            }
            await Task.Delay(25);
        }
        return gateway;
    }

    /// <summary>kill -9: no shutdown code runs at all.</summary>
    public void KillHard()
    {
        process.Kill(entireProcessTree: true);
        process.WaitForExit(10_000);
    }

    /// <summary>SIGTERM, as systemd stops a service; returns the exit code.</summary>
    public async Task<int> StopAsync()
    {
        using (Process kill = Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync();
            Assert.Equal(0, kill.ExitCode);
        }
        Task exited = process.WaitForExitAsync();
        if (await Task.WhenAny(exited, Task.Delay(TimeSpan.FromSeconds(15))) != exited)
        {
            KillHard();
            Assert.Fail("gateway did not stop within 15 s of SIGTERM:\n" + Log);
        }
        return process.ExitCode;
    }

    public IEnumerable<string> LinesContaining(string text) => Lines.Where(l => l.Contains(text, StringComparison.Ordinal));

    public void Dispose()
    {
        if (!process.HasExited) KillHard();
        process.Dispose();
    }
}
