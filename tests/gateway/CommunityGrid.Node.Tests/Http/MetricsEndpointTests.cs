using CommunityGrid.Peering.Transport;
using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Threading.Tasks;
using CommunityGrid.Meter.Messaging;
using CommunityGrid.Node.Hosting;
using CommunityGrid.Node.Tests.Support;
using MQTTnet;

namespace CommunityGrid.Node.Tests.Http;

/// <summary>Issue 17, item 10: a real node's /metrics shows per-meter last-reading time, mempool size, connected meters and process figures.</summary>
public sealed class MetricsEndpointTests
{
    [Fact]
    public async Task Metrics_follow_readings_through_mempool_and_block_and_count_meter_sessions()
    {
        using var grid = new TestGrid(2);
        int port = LoopbackPorts.Reserve();
        // Blocks only on ProduceOnce, so the mempool can be seen holding the readings.
        await using GatewayNode node = await GatewayNode.StartAsync(grid.NodeOptions(port) with
        {
            BlockPeriod = null,
            HttpEndpoint = new IPEndPoint(IPAddress.Loopback, 0),
        });
        using var http = new HttpClient { BaseAddress = new Uri($"http://{node.HttpEndpoint}"), Timeout = TimeSpan.FromSeconds(10) };

        Dictionary<string, double> before = await ScrapeAsync(http);
        Assert.Equal(0, before["cgrid_connected_meters"]);
        Assert.Equal(0, before["cgrid_mempool_transactions"]);
        Assert.DoesNotContain(before.Keys, k => k.StartsWith("cgrid_meter_last_reading_timestamp_seconds", StringComparison.Ordinal));

        await using var m01 = new RawMeterClient("m01", grid.Gateway.PublicKey);
        await using var m02 = new RawMeterClient("m02", grid.Gateway.PublicKey);
        Assert.Equal(MqttClientConnectResultCode.Success, await m01.ConnectAsync(port, MqttCredentials.Password(TestGrid.ChainId, "m01", grid.MeterSeeds["m01"])));
        Assert.Equal(MqttClientConnectResultCode.Success, await m02.ConnectAsync(port, MqttCredentials.Password(TestGrid.ChainId, "m02", grid.MeterSeeds["m02"])));
        Assert.Equal(2, (await ScrapeAsync(http))["cgrid_connected_meters"]);

        for (int sequence = 1; sequence <= 3; sequence++) await m01.PublishAsync(grid.Reading("m01", sequence, 100 * sequence));
        await Waits.UntilAsync(() => node.Pool.Count == 3, TimeSpan.FromSeconds(10), "three readings in the mempool");
        Dictionary<string, double> waiting = await ScrapeAsync(http);
        Assert.Equal(3, waiting["cgrid_mempool_transactions"]);
        Assert.False(waiting.ContainsKey(LastReading("m01")), "no reading is committed yet");

        long producedFrom = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        node.ProduceOnce();
        long producedUntil = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        Dictionary<string, double> committed = await ScrapeAsync(http);
        Assert.Equal(0, committed["cgrid_mempool_transactions"]);
        Assert.InRange(committed[LastReading("m01")], producedFrom, producedUntil);
        Assert.False(committed.ContainsKey(LastReading("m02")), "m02 sent nothing, so it has no last-reading time");

        await m02.DisposeAsync();
        await Waits.UntilAsync(() => ScrapeAsync(http).GetAwaiter().GetResult()["cgrid_connected_meters"] == 1, TimeSpan.FromSeconds(10), "m02's session to end");
    }

    [Fact]
    public async Task A_restarted_gateway_shows_each_meters_last_reading_time_from_the_chain()
    {
        using var grid = new TestGrid(2);
        double committedAt;
        await using (GatewayNode first = await GatewayNode.StartAsync(grid.NodeOptions(LoopbackPorts.Reserve()) with
        {
            BlockPeriod = null,
            HttpEndpoint = new IPEndPoint(IPAddress.Loopback, 0),
        }))
        {
            Assert.True(first.Submit(grid.Reading("m01", 1, 100)).Accepted);
            first.ProduceOnce();
            using var firstHttp = new HttpClient { BaseAddress = new Uri($"http://{first.HttpEndpoint}"), Timeout = TimeSpan.FromSeconds(10) };
            committedAt = (await ScrapeAsync(firstHttp))[LastReading("m01")];
        }
        long blockSeconds;
        using (Storage.ChainStore store = grid.OpenChain()) blockSeconds = store.GetBlock(store.Height)!.Block.Header.TimeMs / 1000;
        Assert.Equal(blockSeconds, committedAt);

        // The new process has seen no reading yet: the gauge comes from the chain it opened.
        await using GatewayNode restarted = await GatewayNode.StartAsync(grid.NodeOptions(LoopbackPorts.Reserve()) with
        {
            BlockPeriod = null,
            HttpEndpoint = new IPEndPoint(IPAddress.Loopback, 0),
        });
        using var http = new HttpClient { BaseAddress = new Uri($"http://{restarted.HttpEndpoint}"), Timeout = TimeSpan.FromSeconds(10) };
        Dictionary<string, double> after = await ScrapeAsync(http);
        Assert.Equal(blockSeconds, after[LastReading("m01")]);
        Assert.False(after.ContainsKey(LastReading("m02")), "m02 never sent, so the chain has no reading of it");
    }

    [Fact]
    public async Task Process_figures_are_present_and_plausible()
    {
        using var grid = new TestGrid(1);
        await using GatewayNode node = await GatewayNode.StartAsync(grid.NodeOptions(LoopbackPorts.Reserve()) with { HttpEndpoint = new IPEndPoint(IPAddress.Loopback, 0) });
        using var http = new HttpClient { BaseAddress = new Uri($"http://{node.HttpEndpoint}"), Timeout = TimeSpan.FromSeconds(10) };

        Dictionary<string, double> m = await ScrapeAsync(http);
        long now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        using var self = System.Diagnostics.Process.GetCurrentProcess();
        long started = new DateTimeOffset(self.StartTime.ToUniversalTime()).ToUnixTimeSeconds();
        Assert.InRange(m["process_start_time_seconds"], started - 1, started + 1);
        Assert.InRange(m["process_start_time_seconds"], 0, now);
        // A running .NET process with an HTTP server and a broker holds at least megabytes and some descriptors.
        Assert.InRange(m["process_resident_memory_bytes"], 1 << 20, 1L << 40);
        Assert.True(m["process_virtual_memory_bytes"] >= m["process_resident_memory_bytes"]);
        Assert.InRange(m["process_cpu_seconds_total"], 0.001, (now - started + 1) * Environment.ProcessorCount);
        Assert.InRange(m["process_open_fds"], 3, 1 << 20);
        Assert.InRange(m["dotnet_total_memory_bytes"], 1, m["process_virtual_memory_bytes"]);
    }

    private static string LastReading(string meter) => $"cgrid_meter_last_reading_timestamp_seconds{{meter=\"{meter}\"}}";

    /// <summary>Sample lines keyed by name and labels as written; comment lines are skipped.</summary>
    private static async Task<Dictionary<string, double>> ScrapeAsync(HttpClient http)
    {
        string text = await http.GetStringAsync("/metrics");
        var samples = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (string line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => !l.StartsWith('#')))
        {
            int space = line.LastIndexOf(' ');
            samples.Add(line[..space], double.Parse(line[(space + 1)..], CultureInfo.InvariantCulture));
        }
        return samples;
    }
}
