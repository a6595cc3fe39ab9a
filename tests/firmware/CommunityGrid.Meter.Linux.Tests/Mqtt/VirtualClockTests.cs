using System;
using System.Linq;
using System.Threading.Tasks;
using CommunityGrid.Meter.Intervals;
using CommunityGrid.Meter.Linux.Storage;
using CommunityGrid.Meter.Linux.Tests.Broker;
using CommunityGrid.Meter.Linux.Tests.Gateway;
using CommunityGrid.Meter.Linux.Tests.Meter;

namespace CommunityGrid.Meter.Linux.Tests.Mqtt;

/// <summary>
/// A virtual meter against a gateway that judges readings by its own clock (issue 15 case 8): virtual time never runs
/// ahead of real time, a meter whose data directory is ahead of its clock says so, and a simulated meter starts from
/// the registers it was enrolled with.
/// </summary>
[Collection(MosquittoCollection.Name)]
public sealed class VirtualClockTests
{
    [Fact]
    public async Task A_fast_virtual_meter_catches_up_with_real_time_and_never_names_an_interval_that_has_not_ended()
    {
        using var broker = new MosquittoBroker();
        using var home = new VirtualMeterHome("meter-0031", broker.Url, intervalSeconds: 60);
        await using var gateway = new TestGateway(broker.Port, VirtualMeterHome.ChainId, home.MeterId, home.MeterPublicKey, home.Gateway, acking: true);
        await gateway.WaitConnectedAsync(TimeSpan.FromSeconds(10));

        // Four virtual minutes back at 60x: real time is reached after about four real seconds.
        DateTimeOffset start = DateTimeOffset.UtcNow.AddMinutes(-4);
        using var meter = home.Start(timeScale: 60, start: start);
        meter.WaitFor(line => line.Event == "clock.caught_up", TimeSpan.FromSeconds(20), "virtual time to reach real time");
        await Task.Delay(TimeSpan.FromSeconds(3)); // at 60x the meter would have made three more (future) readings by now
        meter.Terminate(TimeSpan.FromSeconds(10)); // its exit code is issue 11's (SIGTERM), not this test's

        var readings = gateway.Arrivals();
        Assert.True(readings.Count >= 3, "the past minutes are reported quickly\n" + meter.Transcript());
        Assert.All(readings, r => Assert.True(DateTimeOffset.FromUnixTimeSeconds(r.IntervalStart + 60).UtcDateTime <= r.ReceivedAt.AddSeconds(1),
            $"reading {r.Sequence} names the interval starting {DateTimeOffset.FromUnixTimeSeconds(r.IntervalStart):O}, which had not ended when it arrived at {r.ReceivedAt:O}"));
        Assert.Empty(gateway.Problems());
    }

    [Fact]
    public async Task A_meter_whose_newest_reading_is_ahead_of_its_clock_says_so_loudly()
    {
        using var broker = new MosquittoBroker();
        using var home = new VirtualMeterHome("meter-0032", broker.Url, intervalSeconds: 60);
        // What a virtual meter that ran ahead of real time left behind: the newest reading is an hour in the future.
        long future = IntervalClock.StartOf(DateTimeOffset.UtcNow.ToUnixTimeSeconds() + 3600, 60);
        new SequenceStore(new DirectoryFileStore(home.DataDirectory)).Commit(7, future);

        using var meter = home.Start(timeScale: 60, start: DateTimeOffset.UtcNow.AddMinutes(-3));
        var warning = meter.WaitFor(line => line.Event == "meter.clock_behind_newest_reading", TimeSpan.FromSeconds(20), "the warning at start");
        Assert.Equal(future, warning.Long("newest_interval"));
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(future + 120).ToString("O"), warning.Get("resumes_at"));
        // The minutes it passes are skipped with a reason, not in silence.
        var skipped = meter.WaitFor(line => line.Event == "reading.skipped", TimeSpan.FromSeconds(20), "a skipped boundary");
        Assert.Contains("interval already reported: the clock is behind the newest reading", skipped.Get("reason"));
        meter.Terminate(TimeSpan.FromSeconds(10)); // its exit code is issue 11's (SIGTERM), not this test's
    }

    [Fact]
    public async Task A_simulated_meter_starts_from_the_registers_it_was_enrolled_with()
    {
        using var broker = new MosquittoBroker();
        using var home = new VirtualMeterHome("meter-0033", broker.Url, intervalSeconds: 60);
        await using var gateway = new TestGateway(broker.Port, VirtualMeterHome.ChainId, home.MeterId, home.MeterPublicKey, home.Gateway, acking: true);
        await gateway.WaitConnectedAsync(TimeSpan.FromSeconds(10));

        using var meter = new MeterProcess(home.ConfigPath, "--simulate", "--time-scale", "60", "--start", "2026-06-21T11:00:00Z",
            "--initial-import", "5000000", "--initial-export", "1200000", "--initial-pv", "800000");
        await gateway.WaitCommittedAsync(2, TimeSpan.FromSeconds(30), meter.Transcript);
        meter.Terminate(TimeSpan.FromSeconds(10)); // its exit code is issue 11's (SIGTERM), not this test's

        var started = meter.Events("meter.started").Single();
        Assert.Equal((5_000_000L, 1_200_000L, 800_000L), (started.Long("import_wh"), started.Long("export_wh"), started.Long("pv_wh")));
        Assert.All(gateway.Arrivals(), r => Assert.True(r.ImportWh >= 5_000_000 && r.ExportWh >= 1_200_000 && r.PvWh >= 800_000,
            $"reading {r.Sequence} has registers {r.ImportWh}/{r.ExportWh}/{r.PvWh}, below those it was enrolled with"));
    }
}
