using System;
using System.Diagnostics;
using System.Threading.Tasks;

namespace CommunityGrid.Peering.TestSupport;

/// <summary>Polls a condition until it holds or the time is up: every wait in the peering tests is bounded.</summary>
public static class Eventually
{
    public static async Task<bool> HoldsAsync(Func<bool> condition, TimeSpan within)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < within)
        {
            if (condition())
            {
                return true;
            }
            await Task.Delay(20);
        }
        return condition();
    }
}
