using System;
using System.Collections.Generic;
using System.Linq;

namespace CommunityGrid.Node.Mempool;

/// <summary>
/// Per meter, the lowest sequence the pool refused for capacity that has not come back since. A meter publishes in
/// sequence order and the chain rejects a reading for good once a higher one of its meter is committed, so while
/// a meter has an entry here its higher readings must wait too. Not thread-safe: the pool's lock guards it.
/// </summary>
public sealed class RefusedSequences(int maxMeters, TimeProvider time)
{
    /// <summary>
    /// A connected meter offers its oldest waiting reading again every 30 s by default (protocol.md §7.2). One that
    /// has not offered the refused sequence for this long no longer has it (a full meter queue drops its oldest,
    /// meter.md); waiting longer would hold the meter forever.
    /// </summary>
    public static readonly TimeSpan GiveUpAfter = TimeSpan.FromMinutes(5);

    private readonly Dictionary<string, Refusal> lowest = new(StringComparer.Ordinal);

    public int Count => lowest.Count;

    public bool MustWait(string meterId, long sequence)
    {
        if (!lowest.TryGetValue(meterId, out Refusal refused) || sequence <= refused.Sequence) return false;
        if (!GivenUp(refused)) return true;
        lowest.Remove(meterId);
        return false;
    }

    /// <summary>When <c>maxMeters</c> are remembered and none is given up, a new meter is not, and its order is not protected.</summary>
    public void Refused(string meterId, long sequence)
    {
        var now = new Refusal(sequence, time.GetTimestamp());
        if (lowest.TryGetValue(meterId, out Refusal refused))
        {
            lowest[meterId] = sequence <= refused.Sequence ? now : refused;
            return;
        }
        if (lowest.Count >= maxMeters) ForgetGivenUp();
        if (lowest.Count < maxMeters) lowest[meterId] = now;
    }

    /// <summary>The pool took a reading: at or below the refused one, the meter's stream is in order again from there.</summary>
    public void Taken(string meterId, long sequence)
    {
        if (lowest.TryGetValue(meterId, out Refusal refused) && sequence <= refused.Sequence) lowest.Remove(meterId);
    }

    /// <summary>
    /// A reading left the pool (decided). At or above the refused one it was already waiting when the refusal came
    /// (e.g. a resend after a lost publish); once it is committed the refused one can never be.
    /// </summary>
    public void Left(string meterId, long sequence)
    {
        if (lowest.TryGetValue(meterId, out Refusal refused) && sequence >= refused.Sequence) lowest.Remove(meterId);
    }

    private bool GivenUp(Refusal refusal) => time.GetElapsedTime(refusal.AtTimestamp) >= GiveUpAfter;

    private void ForgetGivenUp()
    {
        foreach (string meterId in lowest.Where(r => GivenUp(r.Value)).Select(r => r.Key).ToList()) lowest.Remove(meterId);
    }

    private readonly record struct Refusal(long Sequence, long AtTimestamp);
}
