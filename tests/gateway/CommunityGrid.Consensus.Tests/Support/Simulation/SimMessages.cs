using CommunityGrid.Consensus.Messages;

namespace CommunityGrid.Consensus.Tests.Support.Simulation;

/// <summary>What the simulated gateway-to-gateway network carries (the P2P layer's job in the real node).</summary>
public abstract record SimMessage;

public sealed record ProposalMessage(SignedProposal Proposal, ConsensusBlock Block) : SimMessage;

public sealed record VoteMessage(SignedVote Vote) : SimMessage;

/// <summary>"I am at this height": a peer that has committed it answers with the block and its certificate (block sync).</summary>
public sealed record StatusMessage(long Height) : SimMessage;

public sealed record CommitMessage(CommitCertificate Certificate, ConsensusBlock Block) : SimMessage;
