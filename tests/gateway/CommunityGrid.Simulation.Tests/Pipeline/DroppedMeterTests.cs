using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using CommunityGrid.Chain.Intervals;
using CommunityGrid.Chain.Transactions;
using CommunityGrid.Simulation.Pipeline;
using CommunityGrid.Storage;

namespace CommunityGrid.Simulation.Tests.Pipeline;

public class DroppedMeterTests
{
    private const string House = "h002";
    private const string GridMeter = House + "-grid";

    /// <summary>
    /// h002 is offline 10:00–16:00: its meter keeps making readings into its queue and sends them all on reconnecting.
    /// Every reading must reach the chain, and the settlements must place its energy exactly as docs/chain.md §5 says:
    /// a reading's deltas go to the interval it names, or to the earliest open interval (interval/next) if that one
    /// had already closed when the reading was accepted.
    /// </summary>
    [Fact]
    public async Task NoReadingIsLostAndLateEnergySettlesInTheEarliestOpenInterval()
    {
        var outage = new MeterOutage(House, 10 * 3600, 16 * 3600);
        SimulationOptions options = SmallRun.Options(5, seed: 7, new FailurePlan([outage], [6 * 3600 + 30 * 60]));
        try
        {
            (SimulationResult result, _) = await SmallRun.RunAsync(options);
            Assert.Equal(1, result.GatewayRestarts);
            using ChainStore store = SmallRun.Open(result, VerifyMode.Full);

            var readings = store.GetReadings(GridMeter, 0, 1000);
            Assert.Equal(Enumerable.Range(1, 96).Select(i => (long)i), readings.Select(r => r.Sequence));
            Assert.Equal(96, readings.Select(r => r.IntervalStart).Distinct().Count());

            long first = options.StartUnixSeconds;
            var closedAt = new SortedDictionary<long, long>();
            for (long s = first; s < options.EndUnixSeconds; s += 900) closedAt[s] = store.GetSettlement(s)!.Height;

            (long import, long export) previous = Enrolment(store);
            var expected = new Dictionary<long, (long Import, long Export)>();
            int late = 0;
            foreach (StoredReading r in readings)
            {
                long target = closedAt[r.IntervalStart] >= r.Height ? r.IntervalStart : closedAt.First(c => c.Value >= r.Height).Key;
                if (target != r.IntervalStart) late++;
                (long i, long e) = expected.GetValueOrDefault(target);
                expected[target] = (i + r.ImportWh - previous.import, e + r.ExportWh - previous.export);
                previous = (r.ImportWh, r.ExportWh);
            }
            Assert.True(late >= 20, $"only {late} readings arrived after their interval closed");

            long settledImport = 0;
            foreach ((long start, _) in closedAt)
            {
                HouseSettlement? row = store.GetSettlement(start)!.Result.Houses.SingleOrDefault(h => h.HouseId == House);
                (long import, long export) want = expected.GetValueOrDefault(start);
                Assert.Equal(want, (row?.ImportWh ?? 0, row?.ExportWh ?? 0));
                settledImport += row?.ImportWh ?? 0;
            }
            Assert.Equal(readings[^1].ImportWh - Enrolment(store).Import, settledImport);

            // During the outage the house is absent from the settlements it could not report to.
            long outageInterval = first + 12 * 3600;
            Assert.DoesNotContain(store.GetSettlement(outageInterval)!.Result.Houses, h => h.HouseId == House);
        }
        finally
        {
            Directory.Delete(options.OutputDirectory, recursive: true);
        }
    }

    private static (long Import, long Export) Enrolment(ChainStore store)
    {
        foreach (byte[] tx in store.GetBlock(1)!.Block.Body.Transactions)
        {
            if (Transaction.Decode(tx).Admin is EnrolMeterPayload e && e.MeterId == GridMeter) return (e.InitialImportWh, e.InitialExportWh);
        }
        throw new InvalidOperationException($"{GridMeter} is not enrolled in block 1");
    }
}
