using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using CommunityGrid.Benchmarks.Support;
using CommunityGrid.Peering.Transport;

namespace CommunityGrid.Ingest.Load;

/// <summary>
/// One `cgrid gateway run` child process with its embedded broker and HTTP API on free loopback ports, as an
/// operator runs it. Stopped with SIGTERM on dispose; its output is kept (the last lines) for error messages.
/// </summary>
public sealed class GatewayProcess : IAsyncDisposable
{
    private readonly Process process;
    private readonly HttpClient http;
    private readonly ConcurrentQueue<string> lastLines = new();

    private GatewayProcess(Process process, int mqttPort, int httpPort)
    {
        this.process = process;
        MqttPort = mqttPort;
        http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{httpPort}/"), Timeout = TimeSpan.FromSeconds(60) };
        process.OutputDataReceived += (_, e) => Keep(e.Data);
        process.ErrorDataReceived += (_, e) => Keep(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public int MqttPort { get; }

    public int Pid => process.Id;

    public static async Task<GatewayProcess> StartAsync(string cgrid, LoadCommunity community, int gateway, int meters, int blockPeriodMs,
        IReadOnlyDictionary<string, string> environment)
    {
        int mqtt = LoopbackPorts.Reserve(), httpPort = LoopbackPorts.Reserve();
        var args = new List<string>
        {
            "gateway", "run", "--genesis", community.GenesisPath, "--data", community.DataDirectory(gateway), "--key", community.KeyPath(gateway),
            "--http", $"127.0.0.1:{httpPort}", "--mqtt", $"127.0.0.1:{mqtt}", "--block-period-ms", blockPeriodMs.ToString(CultureInfo.InvariantCulture),
        };
        // The embedded broker takes 1,000 connections unless told more; room for every meter and a few more.
        if (meters + 16 > 1000) args.AddRange(["--mqtt-max-connections", (meters + 16).ToString(CultureInfo.InvariantCulture)]);
        ProcessStartInfo start = CgridCommand.StartInfo(cgrid, args);
        foreach ((string name, string value) in environment) start.Environment[name] = value;
        var gatewayProcess = new GatewayProcess(Process.Start(start)!, mqtt, httpPort);
        await gatewayProcess.WaitUntilServingAsync();
        return gatewayProcess;
    }

    private async Task WaitUntilServingAsync()
    {
        var waited = Stopwatch.StartNew();
        while (waited.Elapsed < TimeSpan.FromSeconds(60))
        {
            if (process.HasExited) throw Failed($"exited {process.ExitCode} while starting");
            try
            {
                using HttpResponseMessage status = await http.GetAsync("status");
                if (status.IsSuccessStatusCode) return;
            }
            catch (HttpRequestException)
            {
            }
            await Task.Delay(100);
        }
        throw Failed("did not serve GET /status within 60 s");
    }

    /// <summary>Posts every transaction in order, one at a time: administrative nonces must commit in order, and the mempool keeps arrival order.</summary>
    public async Task SubmitAsync(IReadOnlyList<byte[]> transactions)
    {
        foreach (byte[] tx in transactions)
        {
            using var body = new ByteArrayContent(tx);
            body.Headers.ContentType = new MediaTypeHeaderValue("application/cbor");
            using HttpResponseMessage posted = await http.PostAsync("transactions", body);
            if (posted.StatusCode != HttpStatusCode.Accepted) throw Failed($"refused an enrolment: {(int)posted.StatusCode} {await posted.Content.ReadAsStringAsync()}");
        }
    }

    /// <summary>Waits until <paramref name="transaction"/> is committed on this gateway's chain.</summary>
    public async Task WaitCommittedAsync(byte[] transaction)
    {
        string last = Convert.ToHexStringLower(SHA256.HashData(transaction));
        var waited = Stopwatch.StartNew();
        while (true)
        {
            using HttpResponseMessage committed = await http.GetAsync($"transactions/{last}");
            if (committed.StatusCode == HttpStatusCode.OK) return;
            if (committed.StatusCode != HttpStatusCode.NotFound) throw Failed($"dropped an enrolment: {await committed.Content.ReadAsStringAsync()}");
            if (waited.Elapsed > TimeSpan.FromMinutes(5)) throw Failed("did not commit the enrolments within 5 minutes");
            await Task.Delay(200);
        }
    }

    /// <summary>
    /// Readings the chain holds, from its state: the sum of every meter's last committed sequence (GET /meters). The
    /// load's meters number their readings 1, 2, … and the chain takes a meter's readings only in order, so this is
    /// the count committed. Not the cgrid_readings_accepted_total metric: a gateway of several counts there only the
    /// readings that reached it from their meter (docs/operations.md), and with --gateways N the meters are spread.
    /// </summary>
    public async Task<long> CommittedSequencesAsync()
    {
        using JsonDocument meters = JsonDocument.Parse(await http.GetStringAsync("meters"));
        return meters.RootElement.GetProperty("meters").EnumerateArray().Sum(m => m.GetProperty("lastSequence").GetInt64());
    }

    public double CpuSeconds() => ProcFigures.CpuSeconds(process.Id);

    public (double RssMiB, double PeakMiB) Memory() => ProcFigures.Memory(process.Id);

    public string MemoryBreakdown() => ProcFigures.MemoryBreakdown(process.Id);

    public InvalidOperationException Failed(string what) =>
        new($"cgrid gateway (pid {process.Id}) {what}; its last output:\n{string.Join('\n', lastLines)}");

    private void Keep(string? line)
    {
        if (line is null) return;
        lastLines.Enqueue(line);
        while (lastLines.Count > 20) lastLines.TryDequeue(out _);
    }

    public async ValueTask DisposeAsync()
    {
        http.Dispose();
        if (!process.HasExited)
        {
            // SIGTERM: the gateway stops as under systemd; killed if it does not within 30 s.
            Process.Start("kill", ["-TERM", process.Id.ToString(CultureInfo.InvariantCulture)])!.WaitForExit();
            using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            try
            {
                await process.WaitForExitAsync(limit.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
            }
        }
        process.Dispose();
    }
}
