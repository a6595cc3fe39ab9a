using System;

namespace CommunityGrid.Meter.Energy
{
    /// <summary>What an <see cref="EnergyIntegrator"/> noticed while advancing to a sample's time.</summary>
    [Flags]
    public enum IntegrationEvents
    {
        None = 0,
        /// <summary>The first sample (or the first after a backwards step): it only sets the starting point.</summary>
        Started = 1,
        /// <summary>The sample came later than the allowed gap: only the allowed gap was counted, the rest was not.</summary>
        GapTruncated = 2,
        /// <summary>The timestamp was earlier than the previous one: nothing was counted and integration restarts here.</summary>
        TimeWentBackwards = 4,
        /// <summary>The first good sample after <see cref="EnergyIntegrator.MarkUnavailable"/>: the outage was not counted.</summary>
        ResumedAfterOutage = 8,
    }
}
