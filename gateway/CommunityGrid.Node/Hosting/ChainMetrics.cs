using CommunityGrid.Api;
using CommunityGrid.Chain.State;
using CommunityGrid.Node.Timing;
using CommunityGrid.Storage;

namespace CommunityGrid.Node.Hosting;

/// <summary>The gauges a gateway can know from its stored chain alone, set once when it starts; block production keeps them current after that.</summary>
internal static class ChainMetrics
{
    public static void Load(GatewayMetrics metrics, ChainStore store, IClock clock)
    {
        ChainState state = store.State;
        StateView view = state.View();
        ChainParameters p = view.Parameters;
        metrics.SetHeight(state.Height);
        long firstInterval = store.Genesis.GenesisTimeMs / 1000 / p.IntervalSeconds * p.IntervalSeconds;
        if (view.NextInterval > firstInterval) metrics.SetLastClosedInterval(view.NextInterval - p.IntervalSeconds);
        metrics.SetIntervalLagSeconds(GatewayMetrics.LagSeconds(view.NextInterval, p.IntervalSeconds, p.GraceSeconds, clock.NowMs / 1000));
        // Without this a restarted gateway would show no last reading for any meter until each sends again, and the
        // meter-silent alert (time() - gauge) could not see a meter that went silent across the restart.
        foreach (MeterLastReading last in store.LastReadingTimes()) metrics.SetLastReading(last.MeterId, last.BlockTimeMs / 1000);
    }
}
