using System;
using System.Linq;
using System.Threading.Tasks;
using CommunityGrid.Meter.Linux.Tests.Broker;
using CommunityGrid.Meter.Linux.Tests.Gateway;
using CommunityGrid.Meter.Linux.Tests.Meter;
using Xunit.Abstractions;

namespace CommunityGrid.Meter.Linux.Tests.Mqtt;

[Collection(MosquittoCollection.Name)]
public sealed class BrokerOutageTests(ITestOutputHelper output)
{
    private static readonly DateTimeOffset Evening = new(2026, 6, 21, 17, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Readings_made_while_the_broker_is_down_all_arrive_in_order_and_none_is_resent_once_acknowledged()
    {
        using var broker = new MosquittoBroker();
        using var home = new VirtualMeterHome("meter-0002", broker.Url, intervalSeconds: 60, resendSeconds: 2, reconnectMaxSeconds: 1);
        await using var gateway = new TestGateway(broker.Port, VirtualMeterHome.ChainId, home.MeterId, home.MeterPublicKey, home.Gateway, acking: true);
        await gateway.WaitConnectedAsync(TimeSpan.FromSeconds(10));
        using var meter = home.Start(timeScale: 60, start: Evening);
        await gateway.WaitCommittedAsync(3, TimeSpan.FromSeconds(20), meter.Transcript);

        // Outage: about five intervals (60 s each at 60x) without a broker.
        broker.Stop();
        long queuedBefore = LastQueued(meter);
        await Task.Delay(TimeSpan.FromSeconds(5));
        long queuedDuring = LastQueued(meter);
        Assert.True(queuedDuring >= queuedBefore + 3, $"the meter should keep making readings during the outage ({queuedBefore} -> {queuedDuring})");
        broker.Start();

        await gateway.WaitCommittedAsync(queuedDuring + 2, TimeSpan.FromSeconds(30), meter.Transcript);
        // Observe a few more intervals: acknowledged readings must stay acknowledged.
        await Task.Delay(TimeSpan.FromSeconds(3));
        Assert.Equal(0, meter.Terminate(TimeSpan.FromSeconds(10)));

        var arrivals = gateway.Arrivals();
        Assert.Empty(gateway.Problems());
        DeliveryChecks.AssertOneMessagePerSequence(arrivals);
        var readings = DeliveryChecks.AssertCompleteAndMonotonic(arrivals, gateway.CommittedThrough);
        Assert.All(readings.Skip(1).Zip(readings), pair => Assert.Equal(pair.Second.IntervalStart + 60, pair.First.IntervalStart));
        DeliveryChecks.AssertNoResendAfterAck(arrivals, meter.Events("ack.applied"), TimeSpan.FromMilliseconds(500));
        Assert.Contains(meter.Lines(), line => line.Event == "mqtt.disconnected");
        Assert.True(meter.Events("mqtt.connected").Count >= 2, "the meter should have reconnected after the outage");
        output.WriteLine($"committed {gateway.CommittedThrough}, {arrivals.Count} arrivals ({arrivals.Count - readings.Count} resends before an ack), " +
            $"{gateway.GapArrivals} arrived ahead of a gap right after the restart");
    }

    private static long LastQueued(MeterProcess meter) => meter.Events("reading.queued").Select(line => line.Long("seq")).DefaultIfEmpty(0).Max();
}
