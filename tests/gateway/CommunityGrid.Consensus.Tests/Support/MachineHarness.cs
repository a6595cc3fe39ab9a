using System;
using System.Collections.Generic;
using System.Linq;
using CommunityGrid.Consensus;
using CommunityGrid.Consensus.Machine;
using CommunityGrid.Consensus.Messages;
using CommunityGrid.Consensus.Signing;

namespace CommunityGrid.Consensus.Tests.Support;

/// <summary>
/// One machine (validator <see cref="Self"/> of a 4-validator set) driven message by message, with the
/// other validators' messages signed by their real keys, for the per-rule tests.
/// </summary>
public sealed class MachineHarness : IDisposable
{
    public const string ChainId = "test-chain";
    public const long Height = 1;
    public const long PreviousTime = 1_000_000;
    public static readonly ConsensusParameters Parameters = new();

    public MachineHarness(int self = 0, int validators = 4, MemorySignStateStore? store = null)
    {
        Keys = new TestKeys(validators);
        Self = self;
        Store = store ?? new MemorySignStateStore();
        Signer = new GuardedSigner(ChainId, Keys[self], Store);
        Blocks = new TestBlocks(self);
        Machine = new TendermintMachine(ChainId, Parameters, Blocks, Signer);
    }

    public TestKeys Keys { get; }
    public int Self { get; }
    public MemorySignStateStore Store { get; }
    public GuardedSigner Signer { get; }
    public TestBlocks Blocks { get; }
    public TendermintMachine Machine { get; }
    public long Now { get; set; } = PreviousTime + 10_000;
    public List<ConsensusOutput> Log { get; } = new();

    public IReadOnlyList<ConsensusOutput> Start(long height = Height) => Record(Machine.StartHeight(height, Keys.Set, PreviousTime, Now));

    public ConsensusBlock Block(long tag, long? time = null, bool valid = true) => TestBlocks.Make(Height, time ?? Now, tag, valid);

    public int ProposerOf(int round) => Keys.Set.ProposerIndex(Height, round);

    public SignedProposal Proposal(int round, ConsensusBlock block, int validRound = -1, int? by = null) =>
        SignedProposal.Create(ChainId, Height, round, block.Id, validRound, block.TimeMs, Keys[by ?? ProposerOf(round)]);

    public SignedVote Vote(int validator, MessageType type, int round, BlockId? id, long height = Height) =>
        SignedVote.Create(ChainId, type, height, round, id, Keys[validator]);

    public IReadOnlyList<ConsensusOutput> Propose(int round, ConsensusBlock block, int validRound = -1) =>
        Record(Machine.OnProposal(Proposal(round, block, validRound), block, Now));

    /// <summary>Votes of <paramref name="type"/> from each listed validator (never Self).</summary>
    public IReadOnlyList<ConsensusOutput> Votes(MessageType type, int round, BlockId? id, params int[] from)
    {
        var all = new List<ConsensusOutput>();
        foreach (int validator in from)
        {
            all.AddRange(Record(Machine.OnVote(Vote(validator, type, round, id), Now)));
        }
        return all;
    }

    /// <summary>Validators other than Self, first <paramref name="count"/> of them.</summary>
    public int[] Others(int count) => Enumerable.Range(0, Keys.Count).Where(i => i != Self).Take(count).ToArray();

    public IReadOnlyList<ConsensusOutput> Timeout(TimeoutStep step, int round) => Record(Machine.OnTimeout(step, Height, round, Now));

    public IReadOnlyList<ConsensusOutput> Record(IReadOnlyList<ConsensusOutput> outputs)
    {
        Log.AddRange(outputs);
        return outputs;
    }

    public static SignedVote? OwnVote(IEnumerable<ConsensusOutput> outputs, MessageType type) =>
        outputs.OfType<BroadcastVote>().Select(b => b.Vote).SingleOrDefault(v => v.Type == type);

    public void Dispose() => Keys.Dispose();
}
