using CommunityGrid.Peering.Transport;
using System.Threading.Tasks;
using CommunityGrid.Meter.Messaging;
using CommunityGrid.Node.Hosting;
using CommunityGrid.Node.Tests.Support;
using MQTTnet;

namespace CommunityGrid.Node.Tests.Ingest;

/// <summary>The embedded broker's authentication (enrolled meter, key-derived password) and per-meter topic authorization.</summary>
public sealed class BrokerSecurityTests
{
    [Fact]
    public async Task A_wrong_password_an_upper_case_password_and_an_unenrolled_meter_are_refused()
    {
        using var grid = new TestGrid(2, "ghost");
        int port = LoopbackPorts.Reserve();
        await using GatewayNode node = await GatewayNode.StartAsync(grid.NodeOptions(port));
        string right = MqttCredentials.Password(TestGrid.ChainId, "m01", grid.MeterSeeds["m01"]);

        await using (var meter = new RawMeterClient("m01", grid.Gateway.PublicKey))
        {
            // m02's password is a valid signature, but by the wrong key for m01.
            Assert.Equal(MqttClientConnectResultCode.BadUserNameOrPassword,
                await meter.ConnectAsync(port, MqttCredentials.Password(TestGrid.ChainId, "m01", grid.MeterSeeds["m02"])));
        }
        await using (var meter = new RawMeterClient("m01", grid.Gateway.PublicKey))
        {
            Assert.Equal(MqttClientConnectResultCode.BadUserNameOrPassword, await meter.ConnectAsync(port, right.ToUpperInvariant()));
        }
        await using (var meter = new RawMeterClient("m01", grid.Gateway.PublicKey))
        {
            // Signed for another chain: the statement names the chain, so it does not carry over.
            Assert.Equal(MqttClientConnectResultCode.BadUserNameOrPassword,
                await meter.ConnectAsync(port, MqttCredentials.Password("other-chain", "m01", grid.MeterSeeds["m01"])));
        }
        await using (var ghost = new RawMeterClient("ghost", grid.Gateway.PublicKey))
        {
            Assert.Equal(MqttClientConnectResultCode.BadUserNameOrPassword,
                await ghost.ConnectAsync(port, MqttCredentials.Password(TestGrid.ChainId, "ghost", grid.MeterSeeds["ghost"])));
        }
        await using (var meter = new RawMeterClient("m01", grid.Gateway.PublicKey))
        {
            Assert.Equal(MqttClientConnectResultCode.Success, await meter.ConnectAsync(port, right));
        }
    }

    [Fact]
    public async Task A_meter_may_publish_only_to_its_own_readings_topic_and_subscribe_only_to_its_own_acks_and_display()
    {
        using var grid = new TestGrid(2);
        int port = LoopbackPorts.Reserve();
        await using GatewayNode node = await GatewayNode.StartAsync(grid.NodeOptions(port));
        await using var m01 = new RawMeterClient("m01", grid.Gateway.PublicKey);
        Assert.Equal(MqttClientConnectResultCode.Success, await m01.ConnectAsync(port, MqttCredentials.Password(TestGrid.ChainId, "m01", grid.MeterSeeds["m01"])));

        Assert.Equal(MqttClientSubscribeResultCode.GrantedQoS1, await m01.SubscribeAsync(RawMeterClient.AcksTopic("m01")));
        Assert.Equal(MqttClientSubscribeResultCode.GrantedQoS1, await m01.SubscribeAsync($"cg/{TestGrid.ChainId}/meters/m01/display"));
        Assert.Equal(MqttClientSubscribeResultCode.NotAuthorized, await m01.SubscribeAsync(RawMeterClient.AcksTopic("m02")));
        Assert.Equal(MqttClientSubscribeResultCode.NotAuthorized, await m01.SubscribeAsync($"cg/{TestGrid.ChainId}/meters/+/acks"));
        Assert.Equal(MqttClientSubscribeResultCode.NotAuthorized, await m01.SubscribeAsync("#"));

        // m02's genuine, validly signed reading, replayed by m01 on m02's topic: refused by the broker, never reaches the mempool.
        Assert.Equal(MqttClientPublishReasonCode.NotAuthorized, await m01.PublishAsync(grid.Reading("m02", 1, 10), RawMeterClient.ReadingsTopic("m02")));
        Assert.Equal(MqttClientPublishReasonCode.NotAuthorized, await m01.PublishAsync(grid.Reading("m01", 1, 10), RawMeterClient.AcksTopic("m01")));
        Assert.Equal(0, node.Pool.Count);

        // Its own topic works, and the ack comes back to it.
        Assert.Equal(MqttClientPublishReasonCode.Success, await m01.PublishAsync(grid.Reading("m01", 1, 10)));
        GatewayAck ack = await m01.WaitAckAsync(a => a.Sequence == 1, "m01's ack");
        Assert.Equal(AckStatus.Committed, ack.Status);
        Assert.Empty(node.Read(s => s.GetReadings("m02")));
    }
}
