using System;

namespace CommunityGrid.Peering.Transport;

/// <summary>
/// Reconnect delays: exponential from a base up to a cap, with "equal jitter" (half fixed, half random) so that
/// gateways restarted together do not redial in lockstep, and a dial never waits longer than the cap.
/// </summary>
internal static class Backoff
{
    public static TimeSpan Delay(int failedAttempts, TimeSpan baseDelay, TimeSpan maxDelay, Random random)
    {
        int exponent = Math.Clamp(failedAttempts, 0, 30);
        double ceilingMs = Math.Min(maxDelay.TotalMilliseconds, baseDelay.TotalMilliseconds * Math.Pow(2, exponent));
        double half = ceilingMs / 2;
        return TimeSpan.FromMilliseconds(half + (random.NextDouble() * half));
    }
}
