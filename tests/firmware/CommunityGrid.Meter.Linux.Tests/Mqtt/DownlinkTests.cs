using System;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using CommunityGrid.Formats.Signing;
using CommunityGrid.Meter.Linux.Tests.Broker;
using CommunityGrid.Meter.Linux.Tests.Gateway;
using CommunityGrid.Meter.Linux.Tests.Meter;

namespace CommunityGrid.Meter.Linux.Tests.Mqtt;

[Collection(MosquittoCollection.Name)]
public sealed class DownlinkTests
{
    private static readonly DateTimeOffset Morning = new(2026, 6, 21, 8, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Meter_drops_unverifiable_acks_releases_rejected_readings_with_their_reason_and_shows_signed_display_data()
    {
        using var broker = new MosquittoBroker();
        using var home = new VirtualMeterHome("meter-0004", broker.Url, intervalSeconds: 60, resendSeconds: 2);
        await using var gateway = new TestGateway(broker.Port, VirtualMeterHome.ChainId, home.MeterId, home.MeterPublicKey, home.Gateway, acking: false);
        await gateway.WaitConnectedAsync(TimeSpan.FromSeconds(10));
        gateway.RejectSequence(2);
        using var meter = home.Start(timeScale: 60, start: Morning);
        meter.WaitFor(line => line.Event == "reading.published" && line.Long("seq") == 1, TimeSpan.FromSeconds(20), "reading 1 published");

        // An ack for reading 1 signed by a key the meter does not trust, and one that is not even COSE.
        using (var stranger = Ed25519Signer.Generate())
        {
            gateway.PublishRawAck(GatewayMessages.SignAck(new GatewayMessages.Ack(VirtualMeterHome.ChainId, home.MeterId, 1, 0, 1, 1, null), stranger));
        }
        gateway.PublishRawAck(new byte[] { 0xa0 });
        // A correctly signed ack for another meter: also not for us.
        gateway.PublishRawAck(GatewayMessages.SignAck(new GatewayMessages.Ack(VirtualMeterHome.ChainId, "meter-9999", 1, 0, 1, 1, null), home.Gateway));
        var third = meter.WaitFor(line => line.Event == "ack.dropped" && line.Get("dropped_total") == "3", TimeSpan.FromSeconds(10), "three dropped acks");
        Assert.Contains("not a configured gateway key", meter.Events("ack.dropped")[0].Get("reason"));
        Assert.Empty(meter.Events("ack.applied"));

        await gateway.PublishDisplayAsync(GatewayMessages.SignDisplay(new GatewayMessages.DisplayData(VirtualMeterHome.ChainId, home.MeterId, 2150, -1234, 77), home.Gateway));
        var display = meter.WaitFor(line => line.Event == "display.updated", TimeSpan.FromSeconds(10), "display data");
        Assert.Equal(("2150", "-1234", "77"), (display.Get("price"), display.Get("balance"), display.Get("block")));

        // Now the gateway acknowledges for real: 1 committed, 2 rejected by the chain, 3 and later committed.
        gateway.Acking = true;
        var rejected = meter.WaitFor(line => line.Event == "reading.rejected", TimeSpan.FromSeconds(20), "the rejection of reading 2");
        Assert.Equal("2", rejected.Get("seq"));
        Assert.Equal("test: reading rejected on purpose", rejected.Get("reason"));
        await gateway.WaitCommittedAsync(4, TimeSpan.FromSeconds(20), meter.Transcript);
        await Task.Delay(TimeSpan.FromSeconds(2.5));
        Assert.Equal(0, meter.Terminate(TimeSpan.FromSeconds(10)));

        Assert.Contains("seq=2 ", File.ReadAllText(Path.Combine(home.DataDirectory, "rejected.log")));
        // A rejected reading leaves the queue like an acknowledged one: it is not sent again after the rejection.
        DeliveryChecks.AssertNoResendAfterAck(gateway.Arrivals(), meter.Events("ack.applied"), TimeSpan.FromMilliseconds(500));
        Assert.Empty(gateway.Problems());
        Assert.True(third.SeenAt <= meter.Events("ack.applied").First().SeenAt);
    }
}
