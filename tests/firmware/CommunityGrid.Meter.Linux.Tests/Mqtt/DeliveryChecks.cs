using System;
using System.Collections.Generic;
using System.Linq;
using CommunityGrid.Meter.Linux.Tests.Gateway;
using CommunityGrid.Meter.Linux.Tests.Meter;

namespace CommunityGrid.Meter.Linux.Tests.Mqtt;

/// <summary>Assertions over what the gateway received and what the meter logged.</summary>
public static class DeliveryChecks
{
    /// <summary>
    /// Once the meter has logged that an ack released sequence N (written to its files before the line is printed),
    /// no copy of any reading at or below N may reach the gateway later. <paramref name="grace"/> covers a copy already
    /// on its way through the broker when the line was read. A reading sent twice before its ack arrived is fine.
    /// </summary>
    public static void AssertNoResendAfterAck(IEnumerable<Arrival> arrivals, IEnumerable<LogLine> ackApplied, TimeSpan grace)
    {
        var releases = ackApplied.Select(line => (At: line.SeenAt, Through: line.Long("released_through"))).OrderBy(r => r.At).ToList();
        foreach (Arrival arrival in arrivals)
        {
            var release = releases.FirstOrDefault(r => r.Through >= arrival.Sequence);
            if (release == default) continue;
            Assert.False(arrival.ReceivedAt > release.At + grace,
                $"reading {arrival.Sequence} arrived at {arrival.ReceivedAt:HH:mm:ss.fff}, after the meter had applied an ack through {release.Through} at {release.At:HH:mm:ss.fff}");
        }
    }

    /// <summary>Every copy of a sequence is the same signed bytes: a number, once published, never named another reading.</summary>
    public static void AssertOneMessagePerSequence(IEnumerable<Arrival> arrivals)
    {
        foreach (var copies in arrivals.GroupBy(a => a.Sequence))
        {
            byte[] first = copies.First().Bytes;
            Assert.All(copies, copy => Assert.True(copy.Bytes.AsSpan().SequenceEqual(first), $"sequence {copies.Key} arrived as two different messages"));
        }
    }

    /// <summary>Distinct readings in sequence order: 1..N without gaps, intervals strictly later, registers never lower.</summary>
    public static List<Arrival> AssertCompleteAndMonotonic(IEnumerable<Arrival> arrivals, long through)
    {
        var readings = arrivals.GroupBy(a => a.Sequence).Select(g => g.First()).Where(a => a.Sequence <= through).OrderBy(a => a.Sequence).ToList();
        Assert.Equal(Enumerable.Range(1, (int)through).Select(i => (long)i), readings.Select(r => r.Sequence));
        for (int i = 1; i < readings.Count; i++)
        {
            Arrival before = readings[i - 1], after = readings[i];
            Assert.True(after.IntervalStart > before.IntervalStart, $"seq {after.Sequence} names interval {after.IntervalStart}, not after {before.IntervalStart}");
            Assert.True(after.ImportWh >= before.ImportWh && after.ExportWh >= before.ExportWh && after.PvWh >= before.PvWh,
                $"a register went backwards between seq {before.Sequence} and {after.Sequence}");
        }
        return readings;
    }
}
