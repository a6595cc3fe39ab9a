using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;

namespace CommunityGrid.Cli.Tests.Gateway;

/// <summary>
/// Issue 17 item 7: a <c>cgrid simulate</c> output served by <c>cgrid gateway run --read-only</c> (a real cgrid process
/// on a real simulated chain, asked over HTTP): no key, everything readable, writes refused, nothing written.
/// </summary>
public sealed class ReadOnlyGatewayTests : IDisposable
{
    private readonly string dir = Path.Combine(Path.GetTempPath(), "cgrid-readonly", Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task A_simulated_chain_is_served_read_only_and_refuses_writes()
    {
        CgridProcess.Result sim = CgridProcess.Run(null, "simulate", "--houses", "3", "--days", "1", "--seed", "5", "--out", dir);
        Assert.True(sim.ExitCode == 0, sim.Stdout + sim.Stderr);
        string before = Fingerprint();

        using Process gateway = StartReadOnly(out string baseAddress, "--data", dir, "--http", "127.0.0.1:0");
        using var http = new HttpClient { BaseAddress = new Uri(baseAddress), Timeout = TimeSpan.FromSeconds(10) };

        using JsonDocument status = JsonDocument.Parse(await http.GetStringAsync("/status"));
        Assert.True(status.RootElement.GetProperty("readOnly").GetBoolean());
        Assert.Equal("sim-community", status.RootElement.GetProperty("chainId").GetString());
        long height = status.RootElement.GetProperty("height").GetInt64();
        Assert.True(height > 96, $"a simulated day closes 96 intervals, so it has more blocks than that; got {height}");

        using JsonDocument tip = JsonDocument.Parse(await http.GetStringAsync($"/blocks/{height}"));
        Assert.Equal(status.RootElement.GetProperty("tipHash").GetString(), tip.RootElement.GetProperty("hash").GetString());

        // The latest reading of a meter, the block that holds it, and /metrics' last-reading gauge for it agree.
        using JsonDocument readings = JsonDocument.Parse(await http.GetStringAsync("/meters/h001-grid/readings?limit=1000"));
        JsonElement last = readings.RootElement.GetProperty("readings").EnumerateArray().Last();
        using JsonDocument block = JsonDocument.Parse(await http.GetStringAsync($"/blocks/{last.GetProperty("height").GetInt64()}"));
        long blockSeconds = block.RootElement.GetProperty("header").GetProperty("timeMs").GetInt64() / 1000;
        string metrics = await http.GetStringAsync("/metrics");
        Assert.Contains($"cgrid_meter_last_reading_timestamp_seconds{{meter=\"h001-grid\"}} {blockSeconds}\n", metrics);

        using HttpResponseMessage balance = await http.GetAsync("/houses/h001/balance");
        Assert.Equal(HttpStatusCode.OK, balance.StatusCode);

        using var write = new StringContent("{\"hex\": \"00\"}", Encoding.UTF8, "application/json");
        using HttpResponseMessage refused = await http.PostAsync("/transactions", write);
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        using JsonDocument problem = JsonDocument.Parse(await refused.Content.ReadAsStringAsync());
        Assert.Equal("urn:communitygrid:problem:read-only", problem.RootElement.GetProperty("type").GetString());
        Assert.Contains("read-only", problem.RootElement.GetProperty("detail").GetString());

        Stop(gateway);
        Assert.Equal(0, gateway.ExitCode);
        Assert.Equal(before, Fingerprint());
    }

    [Theory]
    [InlineData("--key", "gateway.key")]
    [InlineData("--mqtt", "127.0.0.1:1883")]
    [InlineData("--init", null)]
    public void Options_that_produce_blocks_are_bad_usage_with_read_only(string option, string? value)
    {
        string[] args = value is null ? ["gateway", "run", "--read-only", "--data", dir, option] : ["gateway", "run", "--read-only", "--data", dir, option, value];
        CgridProcess.Result result = CgridProcess.Run(null, args);
        Assert.Equal(2, result.ExitCode);
        Assert.Contains($"--read-only serves a stored chain and takes no part in it, so {option} does not apply", result.Stderr);
    }

    [Fact]
    public void Without_read_only_a_key_is_required()
    {
        CgridProcess.Result result = CgridProcess.Run(null, "gateway", "run", "--genesis", "genesis.json", "--data", dir);
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--key is required to run a gateway (or give --read-only", result.Stderr);
    }

    [Fact]
    public void A_directory_without_a_chain_is_not_served()
    {
        Directory.CreateDirectory(dir);
        CgridProcess.Result missingGenesis = CgridProcess.Run(null, "gateway", "run", "--read-only", "--data", dir, "--http", "127.0.0.1:0");
        Assert.Equal(2, missingGenesis.ExitCode);
        Assert.Contains("genesis.json does not exist; give the community's genesis file with --genesis FILE", missingGenesis.Stderr);

        CgridProcess.Result sim = CgridProcess.Run(null, "simulate", "--houses", "2", "--days", "1", "--out", Path.Combine(dir, "sim"));
        Assert.True(sim.ExitCode == 0, sim.Stdout + sim.Stderr);
        string empty = Path.Combine(dir, "empty");
        Directory.CreateDirectory(empty);
        CgridProcess.Result noChain = CgridProcess.Run(null, "gateway", "run", "--read-only", "--data", empty,
            "--genesis", Path.Combine(dir, "sim", "genesis.json"), "--http", "127.0.0.1:0");
        Assert.Equal(1, noChain.ExitCode);
        Assert.Contains("no chain to serve", noChain.Stderr);
        Assert.False(File.Exists(Path.Combine(empty, "chain.sqlite")), "a read-only gateway creates no chain");
    }

    /// <summary>SHA-256 of every file the simulation wrote, so any write by the gateway shows.</summary>
    private string Fingerprint()
    {
        var text = new StringBuilder();
        foreach (string file in Directory.GetFiles(dir).Order(StringComparer.Ordinal))
        {
            // SQLite's shared-memory index and an empty write-ahead log are what any reader of a WAL database opens; they hold no data.
            if (file.EndsWith("-shm", StringComparison.Ordinal) || file.EndsWith("-wal", StringComparison.Ordinal) && new FileInfo(file).Length == 0) continue;
            text.Append(Path.GetFileName(file)).Append(' ').AppendLine(Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(file))));
        }
        return text.ToString();
    }

    private static Process StartReadOnly(out string baseAddress, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "cgrid.dll"));
        foreach (string a in new[] { "gateway", "run", "--read-only" }.Concat(args)) start.ArgumentList.Add(a);
        Process process = Process.Start(start)!;
        var log = new StringBuilder();
        string? address = null;
        using var ready = new ManualResetEventSlim();
        process.OutputDataReceived += (_, e) =>
        {
            lock (log) log.AppendLine(e.Data);
            Match m = Regex.Match(e.Data ?? "", @"gateway ready read-only .*http=(\S+)");
            if (m.Success)
            {
                address = m.Groups[1].Value;
                ready.Set();
            }
        };
        process.ErrorDataReceived += (_, e) => { lock (log) log.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        if (!ready.Wait(TimeSpan.FromMinutes(2)))
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
            Assert.Fail("the read-only gateway did not log 'gateway ready':\n" + log);
        }
        baseAddress = "http://" + address;
        return process;
    }

    private static void Stop(Process process)
    {
        Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])!.WaitForExit();
        if (!process.WaitForExit(TimeSpan.FromSeconds(30)))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail("the read-only gateway did not stop within 30 s of SIGTERM");
        }
        process.WaitForExit();
    }

    public void Dispose()
    {
        if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
    }
}
