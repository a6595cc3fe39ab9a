using CommunityGrid.Peering.Transport;
using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using CommunityGrid.Meter.Messaging;
using CommunityGrid.Node.Hosting;
using CommunityGrid.Node.Production;
using CommunityGrid.Node.Tests.Support;
using CommunityGrid.Node.Timing;
using MQTTnet;

namespace CommunityGrid.Node.Tests.Mempool;

/// <summary>
/// A meter's readings keep their order through a full mempool (operations.md, "Readings and acks"): an in-process
/// node with a mempool of two, blocks produced by hand on a virtual clock, meters as bare MQTT 5 clients.
/// </summary>
public sealed class MeterOrderTests
{
    private const int Capacity = 2;
    private static readonly TimeSpan AckWait = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task A_reading_refused_for_capacity_is_not_overtaken_by_the_next_one_and_the_resent_window_commits_in_order()
    {
        using var grid = new TestGrid(3);
        await using Street street = await Street.StartAsync(grid);
        await using RawMeterClient filler = await street.ConnectAsync("m02");
        await using RawMeterClient meter = await street.ConnectAsync("m01");
        await street.FillPoolAsync(filler);

        Assert.Equal(MqttClientPublishReasonCode.QuotaExceeded, await meter.PublishAsync(grid.Reading("m01", 1, 100)));
        // A slot frees before the meter's next in-flight reading arrives: the old risk.
        street.Produce();
        await meter.PublishAsync(grid.Reading("m01", 2, 200));
        // The meter's resend timer fires: the whole window again, oldest first.
        await meter.PublishAsync(grid.Reading("m01", 1, 100));
        await meter.PublishAsync(grid.Reading("m01", 2, 200));
        await street.DrainAsync(meter, grid, lastSequence: 2);

        Assert.DoesNotContain(meter.Acks, a => a.Status == AckStatus.Rejected);
        Assert.Equal([1L, 2L], street.Node.Read(s => s.GetReadings("m01")).Select(r => r.Sequence));
    }

    [Fact]
    public async Task One_meters_held_readings_do_not_block_another_meter()
    {
        using var grid = new TestGrid(3);
        await using Street street = await Street.StartAsync(grid);
        await using RawMeterClient filler = await street.ConnectAsync("m02");
        await using RawMeterClient held = await street.ConnectAsync("m01");
        await using RawMeterClient other = await street.ConnectAsync("m03");
        await street.FillPoolAsync(filler);
        Assert.Equal(MqttClientPublishReasonCode.QuotaExceeded, await held.PublishAsync(grid.Reading("m01", 1, 100)));
        street.Produce();

        Assert.Equal(MqttClientPublishReasonCode.QuotaExceeded, await held.PublishAsync(grid.Reading("m01", 2, 200)));
        Assert.Equal(MqttClientPublishReasonCode.Success, await other.PublishAsync(grid.Reading("m03", 1, 300)));
        street.Produce();
        await other.WaitAckAsync(a => a.Sequence == 1 && a.Status == AckStatus.Committed, "m03's reading committed while m01 is held");
        Assert.Empty(street.Node.Read(s => s.GetReadings("m01")));

        await street.DrainAsync(held, grid, lastSequence: 3);
        Assert.DoesNotContain(held.Acks, a => a.Status == AckStatus.Rejected);
        Assert.Equal([1L, 2L, 3L], street.Node.Read(s => s.GetReadings("m01")).Select(r => r.Sequence));
    }

    /// <summary>An in-process node whose blocks the test produces, and the acks those blocks released.</summary>
    private sealed class Street(TestGrid grid, GatewayNode node, VirtualClock clock, int port) : IAsyncDisposable
    {
        private const int MaxRounds = 10;

        public GatewayNode Node { get; } = node;

        public static async Task<Street> StartAsync(TestGrid grid)
        {
            var clock = new VirtualClock(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
            int port = LoopbackPorts.Reserve();
            GatewayNode node = await GatewayNode.StartAsync(grid.NodeOptions(port) with { Clock = clock, BlockPeriod = null, MempoolCapacity = Capacity });
            return new Street(grid, node, clock, port);
        }

        public async Task<RawMeterClient> ConnectAsync(string meterId)
        {
            var client = new RawMeterClient(meterId, grid.Gateway.PublicKey);
            Assert.Equal(MqttClientConnectResultCode.Success, await client.ConnectAsync(port, MqttCredentials.Password(TestGrid.ChainId, meterId, grid.MeterSeeds[meterId])));
            Assert.Equal(MqttClientSubscribeResultCode.GrantedQoS1, await client.SubscribeAsync(RawMeterClient.AcksTopic(meterId)));
            return client;
        }

        public async Task FillPoolAsync(RawMeterClient filler)
        {
            for (int seq = 1; seq <= Capacity; seq++)
            {
                Assert.Equal(MqttClientPublishReasonCode.Success, await filler.PublishAsync(grid.Reading(filler.MeterId, seq, 100 * seq)));
            }
            Assert.Equal(Capacity, Node.Pool.Count);
        }

        public ProductionReport Produce()
        {
            clock.Advance(TimeSpan.FromSeconds(1));
            return Node.ProduceOnce();
        }

        /// <summary>
        /// Behaves as the meter does until <paramref name="lastSequence"/> is acknowledged: produce a block, take its
        /// acks (an ack releases everything at or below it), resend what is still waiting, oldest first.
        /// </summary>
        public async Task DrainAsync(RawMeterClient meter, TestGrid grid, long lastSequence)
        {
            long released = 0;
            for (int round = 0; round < MaxRounds && released < lastSequence; round++)
            {
                ProductionReport report = Produce();
                List<long> acked = report.Acks.Where(a => a.MeterId == meter.MeterId).Select(a => a.Sequence).ToList();
                if (acked.Count > 0)
                {
                    // The block's acks of the meter arrive as one, for the highest (docs/protocol.md §7.3).
                    long highest = acked.Max();
                    await meter.WaitAckAsync(a => a.Sequence == highest, $"{meter.MeterId}'s ack for {highest}", AckWait.TotalSeconds);
                    released = Math.Max(released, highest);
                }
                for (long seq = released + 1; seq <= lastSequence; seq++)
                {
                    await meter.PublishAsync(grid.Reading(meter.MeterId, seq, 100 * seq));
                }
            }
            Assert.True(released >= lastSequence, $"{meter.MeterId} still waits after {MaxRounds} rounds (released up to {released})");
        }

        public ValueTask DisposeAsync() => Node.DisposeAsync();
    }
}
