using System;
using System.Linq;
using System.Threading.Tasks;
using CommunityGrid.Meter.Linux.Tests.Broker;
using CommunityGrid.Meter.Linux.Tests.Gateway;
using CommunityGrid.Meter.Linux.Tests.Meter;

namespace CommunityGrid.Meter.Linux.Tests.Mqtt;

[Collection(MosquittoCollection.Name)]
public sealed class VirtualMeterPublishTests
{
    private static readonly DateTimeOffset Noon = new(2026, 6, 21, 11, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Virtual_meter_publishes_signed_readings_with_consecutive_sequences_and_intervals()
    {
        using var broker = new MosquittoBroker();
        using var home = new VirtualMeterHome("meter-0001", broker.Url, intervalSeconds: 60, resendSeconds: 30);
        // An independent subscriber: checks with the gateway's codec, never acknowledges.
        await using var subscriber = new TestGateway(broker.Port, VirtualMeterHome.ChainId, home.MeterId, home.MeterPublicKey, home.Gateway, acking: false);
        await subscriber.WaitConnectedAsync(TimeSpan.FromSeconds(10));

        using var meter = home.Start(timeScale: 60, start: Noon);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (subscriber.Arrivals().Select(a => a.Sequence).Distinct().Count() < 5)
        {
            Assert.True(DateTime.UtcNow < deadline, "fewer than 5 readings within 30 s\n" + meter.Transcript());
            await Task.Delay(50);
        }
        Assert.Equal(0, meter.Terminate(TimeSpan.FromSeconds(10)));

        Assert.Empty(subscriber.Problems());
        var readings = subscriber.Arrivals().GroupBy(a => a.Sequence).Select(g => g.First()).OrderBy(a => a.Sequence).ToList();
        Assert.Equal(Enumerable.Range(1, readings.Count).Select(i => (long)i), readings.Select(r => r.Sequence));
        for (int i = 1; i < readings.Count; i++)
        {
            Assert.Equal(readings[i - 1].IntervalStart + 60, readings[i].IntervalStart);
            Assert.True(readings[i].ImportWh >= readings[i - 1].ImportWh && readings[i].ExportWh >= readings[i - 1].ExportWh && readings[i].PvWh >= readings[i - 1].PvWh);
        }
        // Virtual time: the first reading names the minute the simulation started in (11:00 UTC), not today's wall clock.
        Assert.Equal(Noon.ToUnixTimeSeconds(), readings[0].IntervalStart);
        // Around 11:00 UTC the simulated house produces PV and exports.
        Assert.True(readings[^1].PvWh > 0 && readings[^1].ExportWh > 0, "the simulated house should produce and export at 11:00 UTC");
        Assert.Contains(meter.Lines(), line => line.Event == "meter.stopped");
    }
}
