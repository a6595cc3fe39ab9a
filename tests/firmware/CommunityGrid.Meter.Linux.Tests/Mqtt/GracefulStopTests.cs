using System;
using System.Linq;
using System.Threading.Tasks;
using CommunityGrid.Meter.Linux.Tests.Broker;
using CommunityGrid.Meter.Linux.Tests.Gateway;
using CommunityGrid.Meter.Linux.Tests.Meter;
using Xunit.Abstractions;

namespace CommunityGrid.Meter.Linux.Tests.Mqtt;

/// <summary>
/// Issue 11, case 9: SIGTERM while the meter was publishing aborted it (exit 134, "Unhandled exception", 12 of 14
/// stops at a high time scale). A real cgrid-meter, stopped at random moments of heavy publishing, must exit 0 with
/// its meter.stopped line every time.
/// </summary>
[Collection(MosquittoCollection.Name)]
public sealed class GracefulStopTests(ITestOutputHelper output)
{
    private static readonly DateTimeOffset FirstDay = new(2026, 4, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Sigterm_at_random_moments_while_publishing_always_exits_0_with_meter_stopped()
    {
        const int Stops = 12;
        using var broker = new MosquittoBroker();
        using var home = new VirtualMeterHome("meter-0009", broker.Url, intervalSeconds: 60, resendSeconds: 1, reconnectMaxSeconds: 1);
        // The gateway acknowledges, so the meter's queue turns over and it is always publishing something.
        await using var gateway = new TestGateway(broker.Port, VirtualMeterHome.ChainId, home.MeterId, home.MeterPublicKey, home.Gateway, acking: true);
        await gateway.WaitConnectedAsync(TimeSpan.FromSeconds(10));
        var random = new Random(20260401);
        int publishedWhenStopped = 0;
        for (int run = 0; run < Stops; run++)
        {
            // 3600x: a 60 s interval every 17 ms of real time; each run starts a virtual day later.
            using MeterProcess meter = home.Start(timeScale: 3600, start: FirstDay.AddDays(run));
            meter.WaitFor(line => line.Event == "reading.published", TimeSpan.FromSeconds(20), "the first publish");
            await Task.Delay(random.Next(0, 600));
            int published = meter.Events("reading.published").Count;
            int exit = meter.Terminate(TimeSpan.FromSeconds(15));
            string transcript = meter.Transcript();
            Assert.True(exit == 0, $"run {run}: cgrid-meter exited {exit} on SIGTERM after {published} publishes\n{transcript}");
            Assert.True(meter.Events("meter.stopped").Count == 1, $"run {run}: no meter.stopped line\n{transcript}");
            Assert.DoesNotContain("Unhandled exception", transcript, StringComparison.Ordinal);
            publishedWhenStopped += published;
        }
        Assert.True(publishedWhenStopped >= Stops, "the meter was not publishing when it was stopped; the test would prove nothing");
        output.WriteLine($"{Stops} stops, {publishedWhenStopped} readings published before them, all exited 0 with meter.stopped");
    }
}
