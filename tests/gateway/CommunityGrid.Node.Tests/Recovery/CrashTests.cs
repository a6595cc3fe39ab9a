using CommunityGrid.Peering.Transport;
using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using CommunityGrid.Meter.Messaging;
using CommunityGrid.Node.Tests.Support;
using CommunityGrid.Storage;
using Xunit.Abstractions;

namespace CommunityGrid.Node.Tests.Recovery;

/// <summary>
/// kill -9 of the gateway process during heavy ingest, restarted several times. Afterwards the chain verifies from
/// genesis, every acknowledged reading is in it exactly once where its ack said, and the meters' queues drain.
/// </summary>
public sealed class CrashTests(ITestOutputHelper output)
{
    private const int Meters = 6;
    private const int Crashes = 4;

    [Fact]
    public async Task Killing_the_gateway_repeatedly_during_ingest_loses_no_acknowledged_reading_and_the_queues_drain()
    {
        using var grid = new TestGrid(Meters);
        int port = LoopbackPorts.Reserve();
        var meters = grid.Meters.Select(m => new TestMeter(m.Key, m.Value, grid.MeterSeeds[m.Key], grid.Gateway.PublicKey, port)).ToList();
        using var producing = new CancellationTokenSource();
        Task load = Task.Run(async () =>
        {
            // About 300 readings a second across the meters, through the crashes and restarts.
            while (!producing.IsCancellationRequested)
            {
                foreach (TestMeter meter in meters) meter.Produce();
                await Task.Delay(20);
            }
        });
        try
        {
            foreach (TestMeter meter in meters) meter.Start();
            var random = new Random(4);
            for (int crash = 1; crash <= Crashes; crash++)
            {
                using GatewayProcess gateway = await GatewayProcess.StartAsync(grid, "--mqtt", $"127.0.0.1:{port}");
                long acked = meters.Sum(m => m.Released);
                await Waits.UntilAsync(() => meters.Sum(m => m.Released) > acked + 100, TimeSpan.FromSeconds(20), $"acks to flow before crash {crash}");
                await Task.Delay(random.Next(200, 1200));
                gateway.KillHard();
                output.WriteLine($"crash {crash}: killed after {gateway.LinesContaining("block committed").Count()} blocks; released so far {meters.Sum(m => m.Released)}, generated {meters.Sum(m => m.Generated)}");
            }
            await producing.CancelAsync();
            await load;

            using GatewayProcess last = await GatewayProcess.StartAsync(grid, "--mqtt", $"127.0.0.1:{port}");
            foreach (TestMeter meter in meters)
            {
                Assert.True(await meter.WaitDrainedAsync(TimeSpan.FromSeconds(60)), $"{meter.MeterId} still holds {meter.Unacked} unacknowledged readings");
            }
            Assert.Equal(0, await last.StopAsync());
        }
        finally
        {
            await producing.CancelAsync();
            foreach (TestMeter meter in meters) await meter.DisposeAsync();
        }

        using ChainStore chain = grid.OpenChain();
        output.WriteLine($"height {chain.Height}, readings {meters.Sum(m => m.Generated)}");
        var txIds = new HashSet<string>(StringComparer.Ordinal);
        foreach (TestMeter meter in meters)
        {
            Assert.Empty(meter.Conflicts);
            IReadOnlyList<StoredReading> stored = chain.GetReadings(meter.MeterId, 0, int.MaxValue);
            // Every reading the meter made is in the chain exactly once, in sequence order with none missing.
            Assert.Equal(Enumerable.Range(1, (int)meter.Generated).Select(i => (long)i), stored.Select(r => r.Sequence));
            Assert.All(stored, r => Assert.True(txIds.Add(Convert.ToHexString(r.TxId)), $"tx {Convert.ToHexString(r.TxId)} stored twice"));
            var bySequence = stored.ToDictionary(r => r.Sequence);
            foreach (GatewayAck ack in meter.Acks.Values)
            {
                Assert.NotEqual(AckStatus.Rejected, ack.Status);
                Assert.Equal((ack.BlockHeight, ack.TxIndex), ((long)bySequence[ack.Sequence].Height, (long)bySequence[ack.Sequence].Index));
            }
            // Acks are cumulative: every reading was released by its own ack or a later one.
            Assert.Equal(meter.Generated, meter.Released);
        }
    }
}
