using System;

namespace CommunityGrid.Consensus.Machine;

/// <summary>
/// Timeouts (base + round × delta, paper §3 "timeoutX(r)": they grow with the round so that, once the
/// network behaves, some round is long enough) and the block-time bounds of proposer-based timestamps
/// (CometBFT PBTS: a proposal is timely when its time − precision ≤ receipt time ≤ time + message
/// delay + precision). Defaults suit street gateways on a LAN or city network, not the internet.
/// Every gateway of a chain must use the same values: they are consensus parameters.
/// </summary>
public sealed record ConsensusParameters
{
    public long ProposeTimeoutMs { get; init; } = 1000;
    public long ProposeTimeoutDeltaMs { get; init; } = 500;
    public long PrevoteTimeoutMs { get; init; } = 500;
    public long PrevoteTimeoutDeltaMs { get; init; } = 250;
    public long PrecommitTimeoutMs { get; init; } = 500;
    public long PrecommitTimeoutDeltaMs { get; init; } = 250;

    /// <summary>Largest difference between two honest gateways' clocks (PBTS PRECISION).</summary>
    public long ClockPrecisionMs { get; init; } = 500;

    /// <summary>Largest delay of a proposal from proposer to validator in a good period (PBTS MSGDELAY).</summary>
    public long MessageDelayMs { get; init; } = 2000;

    /// <summary>Messages more rounds ahead than this are dropped: bounds what a faulty validator can make us store.</summary>
    public int MaxRoundsAhead { get; init; } = 10_000;

    public long TimeoutMs(TimeoutStep step, int round)
    {
        (long baseMs, long deltaMs) = step switch
        {
            TimeoutStep.Propose => (ProposeTimeoutMs, ProposeTimeoutDeltaMs),
            TimeoutStep.Prevote => (PrevoteTimeoutMs, PrevoteTimeoutDeltaMs),
            _ => (PrecommitTimeoutMs, PrecommitTimeoutDeltaMs),
        };
        // Saturating: a round count no real network reaches must not wrap to a short timeout.
        long grown = deltaMs == 0 || round <= (long.MaxValue - baseMs) / deltaMs ? baseMs + round * deltaMs : long.MaxValue;
        return Math.Max(grown, 1);
    }

    /// <summary>PBTS timely(): the proposal's time is close enough to the local clock reading at receipt.</summary>
    public bool IsTimely(long proposalTimeMs, long receivedAtMs) =>
        receivedAtMs >= proposalTimeMs - ClockPrecisionMs && receivedAtMs <= proposalTimeMs + MessageDelayMs + ClockPrecisionMs;
}

public enum TimeoutStep
{
    Propose,
    Prevote,
    Precommit,
}
