using System;

namespace CommunityGrid.Simulation.Pipeline;

/// <summary>Progress of a run in virtual time, for the progress bar and the log lines.</summary>
/// <param name="Stage">Set when the run moves to a new stage (what it is doing now, in words); null on plain progress in virtual time.</param>
public sealed record SimulationProgress(DateTimeOffset SimulatedTime, double Fraction, long ReadingsAccepted, long Blocks, int Queued, string? Stage = null);

/// <summary>Wall-clock time spent per stage of the pipeline.</summary>
/// <param name="Profiles">Generating the PV and load series.</param>
/// <param name="Meters">Meter polling, signing and queueing, and handling acknowledgements.</param>
/// <param name="Transport">Handing readings over (direct call, or MQTT publish through the broker).</param>
/// <param name="Gateway">Block production and storage, excluding <paramref name="Clearing"/>.</param>
/// <param name="Clearing">Interval settlement inside the state transition (block production and its re-verification on append).</param>
public sealed record StageTimes(TimeSpan Profiles, TimeSpan Meters, TimeSpan Transport, TimeSpan Gateway, TimeSpan Clearing, TimeSpan Total);

/// <summary>What a run produced; the report and verification read the chain in <see cref="ChainPath"/>, not these counters.</summary>
public sealed record SimulationResult(
    string OutputDirectory,
    string ChainPath,
    string GenesisPath,
    string TransportName,
    long ReadingsMade,
    long ReadingsAccepted,
    long Duplicates,
    long Rejected,
    long Blocks,
    int GatewayRestarts,
    long HouseIntervals,
    StageTimes Times)
{
    /// <summary>MQTT only: acks and display messages the meters verified with the gateway key, and those they dropped.</summary>
    public DownlinkTotals Downlink { get; init; } = new(0, 0, 0, 0, 0);

    /// <summary>MQTT only: what the meters' light clients made of their proof messages; a refused one fails the run.</summary>
    public ProofTotals Proofs { get; init; } = ProofTotals.None;

    /// <summary>With <c>--split</c>: the leavers' new community, in its own directory under the output.</summary>
    public SplitOutcome? Split { get; init; }

    /// <summary>Gateways that ran, one per street; with several, each store is under OUTPUT/gateways/gN and <see cref="ChainPath"/> is a copy of g1's.</summary>
    public int Gateways { get; init; } = 1;

    /// <summary>Several gateways: times a gateway was taken down (--stop-gateway).</summary>
    public int GatewayStops { get; init; }

    /// <summary>Several gateways: steps where the cluster did not settle (same height, nothing pending) within the wait limit.</summary>
    public long SettleWaitTimeouts { get; init; }

    /// <summary>Several gateways: steps whose transactions had not reached every gateway within the gossip wait (settlements may then differ from run to run).</summary>
    public long GossipWaitTimeouts { get; init; }
}

/// <summary>The new community of a split run: where its chain and genesis are, and what its gateway did.</summary>
public sealed record SplitOutcome(string Directory, string ChainPath, string GenesisPath, long ReadingsAccepted, long Blocks);

/// <summary>Totals of what the meters received on their acks and display topics (zero on the direct path, which has none).</summary>
/// <param name="AckWaitTimeouts">Steps that gave up waiting for released acks; non-zero means the run may not be reproducible.</param>
public sealed record DownlinkTotals(long AcksVerified, long AcksDropped, long DisplaysVerified, long DisplaysDropped, long AckWaitTimeouts);
