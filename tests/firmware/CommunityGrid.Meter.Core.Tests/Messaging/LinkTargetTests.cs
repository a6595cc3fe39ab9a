using System;
using CommunityGrid.Meter.Configuration;
using CommunityGrid.Meter.Display;
using CommunityGrid.Meter.Messaging;
using CommunityGrid.Meter.Queue;
using CommunityGrid.Meter.Storage;

namespace CommunityGrid.Meter.Core.Tests.Messaging;

/// <summary>What the ESP32's link talks to, before and after a move; the downlink follows the move; installer keys count for moves.</summary>
public class LinkTargetTests
{
    private const long Midnight = 1709251200;
    private const string Key = "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a";

    [Fact]
    public void Before_a_move_the_configured_brokers_on_one_port_after_it_the_instructions_with_their_own_ports()
    {
        MeterConfig config = MeterConfig.Parse("wifi.ssid = H\nmqtt.host = a.local\nmqtt.fallback.hosts = b.local\nmqtt.tls = false\nmqtt.port = 1884\n" +
            "chain.id = communitygrid-test\nmeter.id = meter-0001\ngateway.keys = " + Key + "\ninstaller.keys = " + Convert.ToHexStringLower(MoveInstructionTests.NewGatewayKey) + "\n");
        LinkTarget configured = LinkTarget.FromConfig(config);
        Assert.Equal(("communitygrid-test", "a.local", 1884, false), (configured.ChainId, configured.Host, configured.Port, configured.Tls));
        Assert.Equal("b.local", configured.Failed());
        Assert.Equal("a.local", configured.Failed());
        Assert.Equal(MoveInstructionTests.NewGatewayKey, config.InstallerKeys[0]);

        var meter = new MoveInstructionTests.Meter();
        var follower = new MoveFollower(meter.Builder, meter.Recorder, meter.Queue, new TrustedSigners(config.GatewayKeys, config.InstallerKeys));
        Assert.Throws<InvalidOperationException>(() => LinkTarget.AfterMove(follower));
        byte[] instruction = new MoveInstruction(MessagingExamples.ChainId, MessagingExamples.MeterId, "new-grid", Midnight + 900,
            new[] { MoveInstructionTests.NewGatewayKey }, new[] { "mqtts://n1.local", "mqtts://n2.local:9883" }).Sign(MessagingExamples.GatewaySeed);
        Assert.True(follower.Apply(instruction));
        LinkTarget moved = LinkTarget.AfterMove(follower);
        Assert.Equal(("new-grid", "n1.local", 8883, true), (moved.ChainId, moved.Host, moved.Port, moved.Tls));
        Assert.Equal("n2.local", moved.Failed());
        Assert.Equal(9883, moved.Port);
        Assert.True(moved.Signers.Contains(MoveInstructionTests.NewGatewayKey));
        Assert.False(moved.Signers.Contains(MessagingExamples.GatewayPublicKey));
    }

    [Fact]
    public void After_MoveTo_the_downlink_takes_only_the_new_chains_acks_signed_by_its_gateways()
    {
        var store = new MemoryFileStore();
        var queue = new ReadingQueue(store, new QueueOptions());
        queue.Open();
        var downlink = new GatewayDownlink(MessagingExamples.ChainId, MessagingExamples.MeterId, new TrustedSigners(new[] { MessagingExamples.GatewayPublicKey }), queue,
            new MeterDisplayState(), store);
        byte[] newSeed = new byte[32];
        newSeed[0] = 9;
        byte[] newKey = CommunityGrid.Protocol.Crypto.Ed25519.PublicKeyFromSeed(newSeed);
        downlink.MoveTo("new-grid", new TrustedSigners(new[] { newKey }));
        Assert.Equal("cg/new-grid/meters/meter-0001/acks", downlink.AcksTopic);
        Assert.Equal("cg/new-grid/meters/meter-0001/display", downlink.DisplayTopic);
        Assert.Throws<UntrustedSignerException>(() => downlink.ApplyAck(
            GatewayAckCodec.Sign(new GatewayAck("new-grid", MessagingExamples.MeterId, 1, AckStatus.Committed, 1, 0, null), MessagingExamples.GatewaySeed), out _));
        Assert.Throws<MessageFormatException>(() => downlink.ApplyAck(
            GatewayAckCodec.Sign(new GatewayAck(MessagingExamples.ChainId, MessagingExamples.MeterId, 1, AckStatus.Committed, 1, 0, null), newSeed), out _));
        downlink.ApplyAck(GatewayAckCodec.Sign(new GatewayAck("new-grid", MessagingExamples.MeterId, 1, AckStatus.Committed, 1, 0, null), newSeed), out bool released);
        Assert.False(released); // nothing queued: accepted but stale
    }
}
