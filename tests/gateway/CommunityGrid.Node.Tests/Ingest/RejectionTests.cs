using CommunityGrid.Peering.Transport;
using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using CommunityGrid.Api;
using CommunityGrid.Formats.Cose;
using CommunityGrid.Meter.Messaging;
using CommunityGrid.Node.Hosting;
using CommunityGrid.Node.Ingest;
using CommunityGrid.Node.Tests.Support;
using MQTTnet;

namespace CommunityGrid.Node.Tests.Ingest;

/// <summary>Each kind of bad reading over MQTT is acknowledged as rejected with its reason and counted, and disturbs nothing else.</summary>
public sealed class RejectionTests
{
    [Fact]
    public async Task Each_bad_reading_is_acked_as_rejected_with_its_reason_and_counted_while_good_readings_flow()
    {
        using var grid = new TestGrid(2);
        int port = LoopbackPorts.Reserve();
        await using GatewayNode node = await GatewayNode.StartAsync(grid.NodeOptions(port));
        await using TestMeter bystander = new("m01", grid.Meters["m01"], grid.MeterSeeds["m01"], grid.Gateway.PublicKey, port);
        bystander.Produce(10);
        bystander.Start();
        await using var m02 = new RawMeterClient("m02", grid.Gateway.PublicKey);
        Assert.Equal(MqttClientConnectResultCode.Success, await m02.ConnectAsync(port, MqttCredentials.Password(TestGrid.ChainId, "m02", grid.MeterSeeds["m02"])));
        await m02.SubscribeAsync(RawMeterClient.AcksTopic("m02"));

        byte[] first = grid.Reading("m02", 1, 100);
        GatewayAck committed1 = await Send(m02, first, 1, AckStatus.Committed);
        await Send(m02, grid.Reading("m02", 2, 200), 2, AckStatus.Committed);

        await Rejected(m02, grid.Reading("m02", 2, 250), 2, "ReplayedSequence");
        await Rejected(m02, grid.Reading("m02", 3, 150), 3, "DecreasingRegister");
        await Rejected(m02, grid.Reading("m02", 3, 300, intervalStart: TestGrid.LastCompleteInterval() + 4 * TestGrid.IntervalSeconds), 3, "FutureInterval");
        byte[] forged = grid.Reading("m02", 3, 300);
        forged[^1] ^= 0x01;
        await Rejected(m02, forged, 3, "BadSignature");
        await Rejected(m02, ReadingWithExtraKey(grid, "m02", 3), 3, "MalformedCbor");
        // Not CBOR at all: no sequence to acknowledge, so it is only counted and logged.
        Assert.Equal(MqttClientPublishReasonCode.Success, await m02.PublishAsync("not a reading"u8.ToArray()));

        // The resend of an already committed reading is acknowledged again, pointing at the original.
        GatewayAck again = await Send(m02, first, 1, AckStatus.AlreadyCommitted);
        Assert.Equal((committed1.BlockHeight, committed1.TxIndex), (again.BlockHeight, again.TxIndex));
        // Nothing that was rejected consumed a sequence number or moved a register.
        await Send(m02, grid.Reading("m02", 3, 300), 3, AckStatus.Committed);

        Assert.True(await bystander.WaitDrainedAsync(TimeSpan.FromSeconds(15)));
        Assert.All(bystander.Acks.Values, a => Assert.Equal(AckStatus.Committed, a.Status));
        Assert.Equal([1L, 2L, 3L], node.Read(s => s.GetReadings("m02")).Select(r => r.Sequence));
        Assert.Equal(300, node.Read(s => s.GetReadings("m02")).Last().ImportWh);
        Assert.Equal(10, node.Read(s => s.GetReadings("m01")).Count);

        GatewayMetricsSnapshot metrics = node.Metrics.Snapshot();
        Dictionary<string, long> rejected = metrics.ReadingsRejected.Where(r => r.MeterId == "m02").ToDictionary(r => r.Reason, r => r.Count);
        Assert.Equal(new Dictionary<string, long>
        {
            ["BadSignature"] = 1, ["DecreasingRegister"] = 1, ["FutureInterval"] = 1, ["MalformedCbor"] = 2, ["ReplayedSequence"] = 1,
        }, rejected);
        Assert.DoesNotContain(metrics.ReadingsRejected, r => r.MeterId == "m01");
        Assert.Equal(3, metrics.ReadingsAccepted.Single(a => a.MeterId == "m02").Count);
        Assert.Equal(10, metrics.ReadingsAccepted.Single(a => a.MeterId == "m01").Count);
    }

    [Fact]
    public async Task After_a_gateway_restart_a_resend_is_acked_as_already_committed_and_another_reading_with_its_sequence_is_replayed()
    {
        // The state keeps nothing per reading (chain.md §3-§4): the restarted gateway finds the resend in its store.
        using var grid = new TestGrid(1);
        int port = LoopbackPorts.Reserve();
        byte[] first = grid.Reading("m01", 1, 100);
        GatewayAck committed;
        await using (GatewayNode node = await GatewayNode.StartAsync(grid.NodeOptions(port)))
        {
            await using var before = new RawMeterClient("m01", grid.Gateway.PublicKey);
            Assert.Equal(MqttClientConnectResultCode.Success, await before.ConnectAsync(port, MqttCredentials.Password(TestGrid.ChainId, "m01", grid.MeterSeeds["m01"])));
            await before.SubscribeAsync(RawMeterClient.AcksTopic("m01"));
            committed = await Send(before, first, 1, AckStatus.Committed);
        }

        await using GatewayNode restarted = await GatewayNode.StartAsync(grid.NodeOptions(port));
        await using var meter = new RawMeterClient("m01", grid.Gateway.PublicKey);
        Assert.Equal(MqttClientConnectResultCode.Success, await meter.ConnectAsync(port, MqttCredentials.Password(TestGrid.ChainId, "m01", grid.MeterSeeds["m01"])));
        await meter.SubscribeAsync(RawMeterClient.AcksTopic("m01"));

        GatewayAck again = await Send(meter, first, 1, AckStatus.AlreadyCommitted);
        Assert.Equal((committed.BlockHeight, committed.TxIndex), (again.BlockHeight, again.TxIndex));
        await Rejected(meter, grid.Reading("m01", 1, 150), 1, "ReplayedSequence");
        Assert.Equal([1L], restarted.Read(s => s.GetReadings("m01")).Select(r => r.Sequence));
    }

    [Fact]
    public async Task A_reading_of_a_meter_the_chain_does_not_know_is_rejected_through_an_external_broker()
    {
        // Only an external broker can let an unenrolled meter in (its password file is the operator's); the chain still says no.
        using var grid = new TestGrid(1, "ghost");
        var passwords = grid.MeterSeeds.ToDictionary(m => m.Key, m => MqttCredentials.Password(TestGrid.ChainId, m.Key, m.Value));
        using Mosquitto broker = await Mosquitto.StartAsync(System.IO.Path.Combine(grid.Directory, "mosquitto"), TestGrid.ChainId, passwords);
        NodeOptions options = grid.NodeOptions(0) with
        {
            ExternalBroker = new BrokerAddress("127.0.0.1", broker.Port),
            ExternalBrokerUsername = Mosquitto.GatewayUser,
            ExternalBrokerPassword = broker.GatewayPassword,
        };
        await using GatewayNode node = await GatewayNode.StartAsync(options);
        await using var ghost = new RawMeterClient("ghost", grid.Gateway.PublicKey);
        Assert.Equal(MqttClientConnectResultCode.Success, await ghost.ConnectAsync(broker.Port, passwords["ghost"]));
        await ghost.SubscribeAsync(RawMeterClient.AcksTopic("ghost"));

        // The gateway subscribes in the background; resend until its ack shows it was there.
        GatewayAck? ack = null;
        for (int attempt = 0; attempt < 40 && ack is null; attempt++)
        {
            await ghost.PublishAsync(grid.Reading("ghost", 1, 5));
            await Task.Delay(250);
            ack = ghost.Acks.FirstOrDefault();
        }
        Assert.NotNull(ack);
        Assert.Equal(AckStatus.Rejected, ack.Status);
        Assert.StartsWith("UnknownMeter", ack.Reason);
        Assert.Contains(node.Metrics.Snapshot().ReadingsRejected, r => r is { MeterId: "ghost", Reason: "UnknownMeter" });
        Assert.Empty(node.Read(s => s.GetReadings("ghost")));
    }

    private static async Task<GatewayAck> Send(RawMeterClient meter, byte[] reading, long sequence, AckStatus status)
    {
        int before = meter.Acks.Count;
        Assert.Equal(MqttClientPublishReasonCode.Success, await meter.PublishAsync(reading));
        // Only acks that arrived after this publish count: the same sequence may have been acknowledged before.
        GatewayAck ack = await meter.WaitAckAsync(a => a.Sequence == sequence && meter.Acks.ToList().IndexOf(a) >= before, $"ack for sequence {sequence}");
        Assert.True(ack.Status == status, $"expected {status}, got {ack}");
        return ack;
    }

    private static async Task Rejected(RawMeterClient meter, byte[] reading, long sequence, string reason)
    {
        GatewayAck ack = await Send(meter, reading, sequence, AckStatus.Rejected);
        Assert.StartsWith(reason + ":", ack.Reason);
    }

    /// <summary>A validly signed COSE_Sign1 whose reading payload has a tenth, unknown key: not the canonical reading.</summary>
    private static byte[] ReadingWithExtraKey(TestGrid grid, string meterId, long sequence)
    {
        var w = new System.Formats.Cbor.CborWriter(System.Formats.Cbor.CborConformanceMode.Canonical);
        w.WriteStartMap(10);
        w.WriteInt32(1); w.WriteTextString(TestGrid.ChainId);
        w.WriteInt32(2); w.WriteTextString(meterId);
        w.WriteInt32(3); w.WriteInt64(sequence);
        w.WriteInt32(4); w.WriteInt64(TestGrid.LastCompleteInterval());
        w.WriteInt32(5); w.WriteInt32(TestGrid.IntervalSeconds);
        w.WriteInt32(6); w.WriteInt64(400);
        w.WriteInt32(7); w.WriteInt64(0);
        w.WriteInt32(8); w.WriteInt64(0);
        w.WriteInt32(9); w.WriteTextString("test-1");
        w.WriteInt32(10); w.WriteTextString("surprise");
        w.WriteEndMap();
        return CoseSign1Codec.Sign(w.Encode(), ContentTypes.Reading, grid.Meters[meterId]);
    }
}
