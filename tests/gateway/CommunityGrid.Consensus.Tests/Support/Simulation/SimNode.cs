using System.Collections.Generic;
using CommunityGrid.Consensus.Machine;
using CommunityGrid.Consensus.Messages;
using CommunityGrid.Consensus.Signing;
using CommunityGrid.Formats.Signing;

namespace CommunityGrid.Consensus.Tests.Support.Simulation;

/// <summary>
/// One simulated gateway. Durable across a crash, as in the real gateway: the sign-state store (with the block this
/// validator is locked on) and the committed chain. Lost in a crash: the state machine, the blocks received and
/// anything in flight to it.
/// </summary>
public sealed class SimNode
{
    public SimNode(int id, int validatorIndex, NodeRole role, Ed25519Signer key, long clockSkewMs, IBlockRules rules, bool heldToHonestInvariants = false)
    {
        heldToHonest = heldToHonestInvariants;
        Id = id;
        ValidatorIndex = validatorIndex;
        Role = role;
        Key = key;
        ClockSkewMs = clockSkewMs;
        Rules = rules;
    }

    public int Id { get; }
    public int ValidatorIndex { get; }
    public NodeRole Role { get; }
    public Ed25519Signer Key { get; }
    public long ClockSkewMs { get; }
    public IBlockRules Rules { get; }

    /// <summary>Honest code and a key no other node holds: the nodes the invariants speak for.</summary>
    public bool IsHonest => Role == NodeRole.Honest || heldToHonest;

    private readonly bool heldToHonest;

    public MemorySignStateStore Store { get; } = new();
    public List<(ConsensusBlock Block, CommitCertificate Certificate)> Chain { get; } = new();

    public TendermintMachine? Machine { get; set; }
    public Dictionary<BlockId, ConsensusBlock> SeenBlocks { get; } = new();
    public bool Alive { get; set; }

    /// <summary>Incremented at every crash: timeouts armed by an earlier incarnation are void.</summary>
    public int Incarnation { get; set; }
    public int Partition { get; set; }
    public int Crashes { get; set; }

    public long NextHeight => Chain.Count + 1;

    public long LastBlockTime(long genesisTimeMs) => Chain.Count == 0 ? genesisTimeMs : Chain[^1].Block.TimeMs;

    public override string ToString() => $"node {Id} (v{ValidatorIndex} {Role})";
}

/// <summary>The chain rules of a proposer whose clock lies: its blocks claim a time far from its clock.</summary>
public sealed class WrongClockBlocks(long author, long offsetMs) : IBlockRules
{
    private readonly TestBlocks inner = new(author);
    private int created;

    public ConsensusBlock CreateBlock(long height, long timeMs) => TestBlocks.Make(height, timeMs + offsetMs, WrongTimeTag + author * 1_000 + ++created);

    public bool IsValid(long height, ConsensusBlock block) => inner.IsValid(height, block);

    /// <summary>Tags of wrong-time blocks start here, so the invariants can tell them apart.</summary>
    public const long WrongTimeTag = 9_000_000_000;
}
