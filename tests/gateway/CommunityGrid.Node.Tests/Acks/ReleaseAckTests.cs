using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading.Tasks;
using CommunityGrid.Meter.LightClient;
using CommunityGrid.Meter.Messaging;
using CommunityGrid.Node.Hosting;
using CommunityGrid.Node.Tests.Support;
using CommunityGrid.Peering.Transport;
using CommunityGrid.Storage;
using MQTTnet;

namespace CommunityGrid.Node.Tests.Acks;

/// <summary>
/// What the gateway acks over its embedded broker (docs/protocol.md §7.3, §7.7): no committed or already-committed
/// ack for a meter all of whose sessions take proofs (a light client releases nothing on one), rejections always,
/// everything for a meter with a session that takes acks without proofs; and one ack per block and meter, for the
/// highest sequence, which a meter applies cumulatively.
/// </summary>
public sealed class ReleaseAckTests
{
    [Fact]
    public async Task A_light_client_session_gets_proofs_and_rejections_but_no_committed_or_duplicate_ack_while_a_plain_one_gets_them()
    {
        using var grid = new TestGrid(2);
        int port = LoopbackPorts.Reserve();
        await using GatewayNode node = await GatewayNode.StartAsync(grid.NodeOptions(port));
        await using RawMeterClient light = await ConnectAsync(grid, "m01", port, proofs: true);
        await using RawMeterClient plain = await ConnectAsync(grid, "m02", port, proofs: false);

        byte[] first = grid.Reading("m01", 1, 100);
        await light.PublishAsync(first);
        await WaitProofThroughAsync(light, 1);
        // The resend of a committed reading, then a new one: what old gateways answered with status 1 and 0.
        await light.PublishAsync(first);
        await light.PublishAsync(grid.Reading("m01", 2, 200));
        await WaitProofThroughAsync(light, 2);
        byte[] forged = grid.Reading("m01", 3, 300);
        forged[^1] ^= 0x01;
        await light.PublishAsync(forged);
        // Acks leave in the order they were decided: once the rejection is here, any earlier ack would be too.
        GatewayAck rejection = await light.WaitAckAsync(a => a.Sequence == 3, "the rejection of reading 3");
        Assert.Equal(AckStatus.Rejected, rejection.Status);
        Assert.StartsWith("BadSignature", rejection.Reason, StringComparison.Ordinal);
        Assert.Equal([rejection], light.Acks.ToArray());
        Assert.True(node.AcksNotNeeded >= 2, $"{node.AcksNotNeeded} acks not signed");

        byte[] plainFirst = grid.Reading("m02", 1, 100);
        await plain.PublishAsync(plainFirst);
        Assert.Equal(AckStatus.Committed, (await plain.WaitAckAsync(a => a.Sequence == 1, "m02's committed ack")).Status);
        await plain.PublishAsync(plainFirst);
        await plain.WaitAckAsync(a => a.Sequence == 1 && a.Status == AckStatus.AlreadyCommitted, "m02's duplicate ack");
    }

    [Fact]
    public async Task A_meter_with_a_light_client_session_and_a_plain_one_gets_its_acks_on_both()
    {
        using var grid = new TestGrid(1);
        int port = LoopbackPorts.Reserve();
        await using GatewayNode node = await GatewayNode.StartAsync(grid.NodeOptions(port));
        await using RawMeterClient light = await ConnectAsync(grid, "m01", port, proofs: true);
        await light.PublishAsync(grid.Reading("m01", 1, 100));
        await WaitProofThroughAsync(light, 1);

        // A second session of the same meter that takes acks without proofs: from now on the meter gets its acks.
        await using RawMeterClient plain = await ConnectAsync(grid, "m01", port, proofs: false);
        await light.PublishAsync(grid.Reading("m01", 2, 200));
        GatewayAck onPlain = await plain.WaitAckAsync(a => a.Sequence == 2, "reading 2's ack on the plain session");
        GatewayAck onLight = await light.WaitAckAsync(a => a.Sequence == 2, "reading 2's ack on the light-client session");
        Assert.Equal(AckStatus.Committed, onPlain.Status);
        Assert.Equal((onPlain.BlockHeight, onPlain.TxIndex), (onLight.BlockHeight, onLight.TxIndex));
        // Reading 1 was committed while every session took proofs: no ack was made for it.
        Assert.Equal([2L], light.Acks.Select(a => a.Sequence).ToArray());
        Assert.Equal([2L], plain.Acks.Select(a => a.Sequence).ToArray());
    }

    [Fact]
    public async Task A_block_with_several_readings_of_a_meter_gets_one_ack_for_the_highest()
    {
        const int Readings = 6;
        using var grid = new TestGrid(1);
        int port = LoopbackPorts.Reserve();
        // A block every second: the readings published back to back share blocks.
        await using GatewayNode node = await GatewayNode.StartAsync(grid.NodeOptions(port) with { BlockPeriod = TimeSpan.FromSeconds(1) });
        await using RawMeterClient meter = await ConnectAsync(grid, "m01", port, proofs: false);
        for (int seq = 1; seq <= Readings; seq++) await meter.PublishAsync(grid.Reading("m01", seq, 100 * seq));
        await meter.WaitAckAsync(a => a.Sequence == Readings, "the ack of the last reading");

        IReadOnlyList<StoredReading> stored = node.Read(s => s.GetReadings("m01", 0, 100));
        Assert.Equal(Enumerable.Range(1, Readings).Select(i => (long)i), stored.Select(r => r.Sequence));
        var highestPerBlock = stored.GroupBy(r => r.Height).Select(b => b.MaxBy(r => r.Sequence)!).OrderBy(r => r.Sequence).ToList();
        Assert.True(highestPerBlock.Count < Readings, $"the readings took {highestPerBlock.Count} blocks; the test needs some to share one");
        // One ack per block, for its highest reading of the meter, at that reading's place; acks leave in order, so all are here.
        Assert.Equal(highestPerBlock.Select(r => (r.Sequence, r.Height, (long)r.Index)),
            meter.Acks.Select(a => (a.Sequence, a.BlockHeight, a.TxIndex)).ToArray());
        Assert.All(meter.Acks, a => Assert.Equal(AckStatus.Committed, a.Status));
        Assert.Equal(Readings - highestPerBlock.Count, node.AcksMerged);
    }

    [Fact]
    public async Task A_real_meter_releases_every_reading_below_a_merged_ack()
    {
        // The meter's virtual time starts 12 intervals back at 900x, a reading a second; a block every 3 s holds several.
        using var grid = new TestGrid(1, genesisIntervalsAgo: 20);
        int port = LoopbackPorts.Reserve();
        await using GatewayNode node = await GatewayNode.StartAsync(grid.NodeOptions(port) with { BlockPeriod = TimeSpan.FromSeconds(3) });
        DateTimeOffset start = DateTimeOffset.FromUnixTimeSeconds(TestGrid.LastCompleteInterval() - 12 * TestGrid.IntervalSeconds);
        using CgridMeterProcess meter = CgridMeterProcess.Start(grid, "m01", port, start);
        await Waits.UntilAsync(() => meter.AckedThrough >= 8, TimeSpan.FromSeconds(40), "eight readings released by acks\n" + meter.Log);

        List<(long Sequence, long ReleasedThrough)> applied = meter.Lines.Where(l => CgridMeterProcess.Field(l, "event") == "ack.applied")
            .Select(l => (Long(l, "seq"), Long(l, "released_through"))).ToList();
        // Some ack released more than its own reading: the readings below it went with it, none is left behind.
        long previous = 0;
        bool merged = false;
        foreach ((long sequence, long releasedThrough) in applied)
        {
            Assert.Equal(sequence, releasedThrough);
            merged |= releasedThrough > previous + 1;
            previous = releasedThrough;
        }
        Assert.True(merged, "no ack released several readings:\n" + string.Join("\n", applied));
        Assert.True(node.AcksMerged > 0);
        Assert.DoesNotContain(meter.Lines, l => CgridMeterProcess.Field(l, "event") == "reading.rejected");
        IReadOnlyList<StoredReading> stored = node.Read(s => s.GetReadings("m01", 0, 100));
        Assert.Equal(Enumerable.Range(1, stored.Count).Select(i => (long)i), stored.Select(r => r.Sequence));
    }

    private static long Long(string line, string key) => long.Parse(CgridMeterProcess.Field(line, key)!, CultureInfo.InvariantCulture);

    /// <summary>A session of the meter that takes its acks, and its proofs too when <paramref name="proofs"/> (a light client).</summary>
    private static async Task<RawMeterClient> ConnectAsync(TestGrid grid, string meterId, int port, bool proofs)
    {
        var client = new RawMeterClient(meterId, grid.Gateway.PublicKey);
        Assert.Equal(MqttClientConnectResultCode.Success, await client.ConnectAsync(port, MqttCredentials.Password(TestGrid.ChainId, meterId, grid.MeterSeeds[meterId])));
        if (proofs) Assert.Equal(MqttClientSubscribeResultCode.GrantedQoS1, await client.SubscribeAsync(RawMeterClient.ProofsTopic(meterId)));
        Assert.Equal(MqttClientSubscribeResultCode.GrantedQoS1, await client.SubscribeAsync(RawMeterClient.AcksTopic(meterId)));
        return client;
    }

    /// <summary>Waits for a proof message whose meter entry names <paramref name="sequence"/> or a later one (read, not verified: the meter's job).</summary>
    private static Task WaitProofThroughAsync(RawMeterClient client, long sequence) =>
        Waits.UntilAsync(() => client.Proofs.Any(p => MeterStateEntry.Decode(ProofMessage.Decode(p).MeterEntry).LastSequence >= sequence),
            TimeSpan.FromSeconds(10), $"a proof message for {client.MeterId} through reading {sequence}");
}
