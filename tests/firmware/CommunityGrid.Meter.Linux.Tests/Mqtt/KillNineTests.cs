using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using CommunityGrid.Meter.Linux.Tests.Broker;
using CommunityGrid.Meter.Linux.Tests.Gateway;
using CommunityGrid.Meter.Linux.Tests.Meter;
using Xunit.Abstractions;

namespace CommunityGrid.Meter.Linux.Tests.Mqtt;

[Collection(MosquittoCollection.Name)]
public sealed class KillNineTests(ITestOutputHelper output)
{
    private static readonly DateTimeOffset FirstDay = new(2026, 3, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Meter_killed_with_sigkill_during_heavy_queue_writes_recovers_without_loss_skip_or_corruption()
    {
        const int Kills = 8;
        using var broker = new MosquittoBroker();
        using var home = new VirtualMeterHome("meter-0003", broker.Url, intervalSeconds: 60, resendSeconds: 2, reconnectMaxSeconds: 1);
        await using var gateway = new TestGateway(broker.Port, VirtualMeterHome.ChainId, home.MeterId, home.MeterPublicKey, home.Gateway, acking: true);
        await gateway.WaitConnectedAsync(TimeSpan.FromSeconds(10));
        var random = new Random(20260301);
        var ackLines = new List<LogLine>();
        long highestQueued = 0;
        int recoveredDamage = 0;

        for (int run = 0; run < Kills; run++)
        {
            // 2400x: a 60 s interval every 25 ms of real time, each reading a signed append plus sequence, register and
            // acknowledgement writes, each fsync'd: the process is nearly always inside some write when it dies.
            // Each run starts a virtual day later, so the clock never runs backwards across a restart.
            using var meter = home.Start(timeScale: 2400, start: FirstDay.AddDays(run));
            meter.WaitFor(line => line.Event == "reading.queued", TimeSpan.FromSeconds(20), "first reading");
            await Task.Delay(random.Next(150, 900));
            meter.KillNine();
            ackLines.AddRange(meter.Events("ack.applied"));
            highestQueued = Math.Max(highestQueued, meter.Events("reading.queued").Select(l => l.Long("seq")).DefaultIfEmpty(0).Max());
            recoveredDamage += meter.Events("queue.recovered_damage").Count;
        }

        // The last run is left alone: everything queued before any of the kills must now be delivered and committed.
        using (var last = home.Start(timeScale: 120, start: FirstDay.AddDays(Kills)))
        {
            await gateway.WaitCommittedAsync(highestQueued + 2, TimeSpan.FromSeconds(30), last.Transcript);
            await Task.Delay(TimeSpan.FromSeconds(1));
            Assert.Equal(0, last.Terminate(TimeSpan.FromSeconds(10)));
            ackLines.AddRange(last.Events("ack.applied"));
            recoveredDamage += last.Events("queue.recovered_damage").Count;
        }

        var arrivals = gateway.Arrivals();
        Assert.Empty(gateway.Problems());
        DeliveryChecks.AssertOneMessagePerSequence(arrivals);
        DeliveryChecks.AssertCompleteAndMonotonic(arrivals, gateway.CommittedThrough);
        DeliveryChecks.AssertNoResendAfterAck(arrivals, ackLines, TimeSpan.FromMilliseconds(500));
        output.WriteLine($"{Kills} kills, committed {gateway.CommittedThrough} readings in order, {arrivals.Count} arrivals, " +
            $"{recoveredDamage} damaged stretches recovered at start-up, highest sequence logged before the last kill {highestQueued}");
    }
}
