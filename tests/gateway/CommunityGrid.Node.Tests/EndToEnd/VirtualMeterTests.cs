using CommunityGrid.Peering.Transport;
using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Net.Http;
using System.Text.Json;
using System.Threading.Tasks;
using CommunityGrid.Formats.Keys;
using CommunityGrid.Node.Tests.Support;

namespace CommunityGrid.Node.Tests.EndToEnd;

/// <summary>
/// The real virtual meter runtime (cgrid-meter --simulate, fast time scale, virtual time a few hours back) against a
/// gateway process: readings flow through the embedded broker into blocks, acks flow back and release the meters'
/// queues, and the gateway's HTTP API serves the committed readings.
/// </summary>
public sealed class VirtualMeterTests
{
    private const int Meters = 3;

    [Fact]
    public async Task Simulated_cgrid_meters_publish_through_the_embedded_broker_into_blocks_and_get_their_acks()
    {
        // Genesis 5 hours back; the meters' virtual time starts 4 hours back and runs 900x, one interval a second.
        using var grid = new TestGrid(Meters, genesisIntervalsAgo: 20);
        int mqttPort = LoopbackPorts.Reserve(), httpPort = LoopbackPorts.Reserve();
        using GatewayProcess gateway = await GatewayProcess.StartAsync(grid, "--mqtt", $"127.0.0.1:{mqttPort}", "--http", $"127.0.0.1:{httpPort}");
        DateTimeOffset start = DateTimeOffset.FromUnixTimeSeconds(TestGrid.LastCompleteInterval() - 16 * TestGrid.IntervalSeconds);
        var meters = grid.Meters.Keys.Select(id => CgridMeterProcess.Start(grid, id, mqttPort, start)).ToList();
        try
        {
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{httpPort}"), Timeout = TimeSpan.FromSeconds(5) };
            foreach (string meterId in grid.Meters.Keys)
            {
                await WaitForReadingsAsync(http, meterId, 4, gateway, meters);
            }
            // The committed readings were acknowledged back to their meter (it logs each ack it applies and how far it released).
            await Waits.UntilAsync(() => meters.All(m => m.AckedThrough >= 4),
                TimeSpan.FromSeconds(20), "the meters to apply acks");
            Assert.All(meters, m => Assert.DoesNotContain(m.Lines, l => l.Contains("reading.rejected", StringComparison.Ordinal)));
            using JsonDocument status = JsonDocument.Parse(await http.GetStringAsync("/status"));
            Assert.Equal(TestGrid.ChainId, status.RootElement.GetProperty("chainId").GetString());
            Assert.True(status.RootElement.GetProperty("height").GetInt64() >= 2);
        }
        finally
        {
            foreach (CgridMeterProcess meter in meters) meter.Dispose();
        }
        Assert.Equal(0, await gateway.StopAsync());
        using Storage.ChainStore chain = grid.OpenChain();
        Assert.All(grid.Meters.Keys, id => Assert.True(chain.GetReadings(id).Count >= 4));
    }

    private static async Task WaitForReadingsAsync(HttpClient http, string meterId, int count, GatewayProcess gateway, List<CgridMeterProcess> meters)
    {
        DateTime until = DateTime.UtcNow + TimeSpan.FromSeconds(40);
        while (true)
        {
            using JsonDocument readings = JsonDocument.Parse(await http.GetStringAsync($"/meters/{meterId}/readings"));
            int have = readings.RootElement.GetProperty("readings").GetArrayLength();
            if (have >= count) return;
            if (DateTime.UtcNow > until)
            {
                Assert.Fail($"{meterId} has {have} committed readings, expected {count}\ngateway:\n{gateway.Log}\nmeters:\n{string.Join("\n", meters.SelectMany(m => m.Lines))}");
            }
            await Task.Delay(200);
        }
    }
}
