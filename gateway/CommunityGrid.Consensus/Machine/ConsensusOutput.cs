using CommunityGrid.Consensus.Messages;

namespace CommunityGrid.Consensus.Machine;

/// <summary>What the state machine asks its host to do; the host carries the outputs out in order.</summary>
public abstract record ConsensusOutput;

/// <summary>Send to every other validator (the machine has already counted its own message).</summary>
public sealed record BroadcastProposal(SignedProposal Proposal, ConsensusBlock Block) : ConsensusOutput;

/// <summary>Send to every other validator (the machine has already counted its own vote).</summary>
public sealed record BroadcastVote(SignedVote Vote) : ConsensusOutput;

/// <summary>Call <see cref="TendermintMachine.OnTimeout"/> with these values after <paramref name="DelayMs"/> on the host's clock.</summary>
public sealed record ScheduleTimeout(TimeoutStep Step, long Height, int Round, long DelayMs) : ConsensusOutput;

/// <summary>
/// decision[h] = v (line 51). The host stores block and certificate durably, then calls
/// <see cref="TendermintMachine.StartHeight"/> for the next height; until then the machine ignores input.
/// </summary>
public sealed record Decide(long Height, int Round, ConsensusBlock Block, CommitCertificate Certificate) : ConsensusOutput;

/// <summary>A validator double-signed; the host gossips and records the evidence once (by its offence key).</summary>
public sealed record ReportEvidence(DoubleSignEvidence Evidence) : ConsensusOutput;

/// <summary>2f+1 precommits name a block this node never received: fetch it by id and pass it to <see cref="TendermintMachine.OnBlock"/>.</summary>
public sealed record RequestBlock(long Height, BlockId Id) : ConsensusOutput;
