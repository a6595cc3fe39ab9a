using System;
using System.Collections.Generic;
using CommunityGrid.Chain.Blocks;
using CommunityGrid.Chain.Encoding;
using CommunityGrid.Chain.Genesis;
using CommunityGrid.Chain.Intervals;
using CommunityGrid.Chain.Transactions;
using CommunityGrid.Chain.Validation;
using CommunityGrid.Consensus.Messages;

namespace CommunityGrid.Chain.State;

/// <summary>
/// The state of one community's chain at its tip. <see cref="ApplyBlock"/> is the only way it changes, both
/// when this gateway produced the block and when it replays or receives one; a block that does not verify
/// leaves the state untouched. Not thread-safe: one owner applies blocks, readers take proofs between them.
/// </summary>
public sealed class ChainState
{
    private readonly StateEntries entries;
    private readonly IncrementalStateTree roots;
    private readonly VerifiedPrecommits precommits = new();
    private long version;

    private ChainState(GenesisDocument genesis, StateEntries entries, SettlementCatalog catalog, Func<StateEntries, IncrementalStateTree> layout)
    {
        this.entries = entries;
        Catalog = catalog;
        ChainId = genesis.ChainId;
        GenesisHash = GenesisCanonical.Hash(genesis);
        TipHash = GenesisHash;
        TipTimeMs = genesis.GenesisTimeMs;
        roots = layout(entries);
        StateRoot = roots.RootAfter([]);
        if (catalog.Find(genesis.PricingMechanism) is null)
        {
            throw new GenesisException($"pricing mechanism '{genesis.PricingMechanism}' has no settlement implementation here");
        }
    }

    public string ChainId { get; }
    public byte[] GenesisHash { get; }
    public SettlementCatalog Catalog { get; }
    public long Height { get; private set; }
    /// <summary>Hash of the tip header; the genesis hash at height 0.</summary>
    public byte[] TipHash { get; private set; }
    public long TipTimeMs { get; private set; }

    /// <summary>The commit certificate of the tip as stored here, which the next block carries; null at height 0.</summary>
    public CommitCertificate? TipCommit { get; private set; }
    public byte[] StateRoot { get; private set; }
    public IStateReader Entries => entries;
    public int EntryCount => entries.Count;

    /// <summary>
    /// The readings already committed, kept outside the state (a gateway's store sets itself here): proposals ask it to
    /// answer a resend as a duplicate. Without it a resend from an earlier block is refused as ReplayedSequence.
    /// </summary>
    public ICommittedReadings? CommittedReadings { get; set; }

    public static ChainState FromGenesis(GenesisDocument genesis, SettlementCatalog? catalog = null) =>
        new(genesis, GenesisState.Build(genesis), catalog ?? SettlementCatalog.Default, IncrementalStateTree.InKeyOrder);

    /// <summary>A state restored from stored entries and their slots at a stored tip; the caller has checked the tip header's commit.</summary>
    /// <exception cref="BlockVerificationException">the entries' root is not the tip header's state root.</exception>
    /// <exception cref="ChainFormatException">the slots are not a layout of the entries (a key twice, two keys in one slot, …).</exception>
    public static ChainState FromSnapshot(GenesisDocument genesis, BlockHeader tip, CommitCertificate tipCommit, IEnumerable<SlottedEntry> stored, SettlementCatalog? catalog = null)
    {
        var entries = new StateEntries();
        var slots = new List<KeyValuePair<string, int>>();
        foreach (SlottedEntry entry in stored)
        {
            if (entries.Get(entry.Key) is not null) throw new ChainFormatException($"state entry '{entry.Key}' is stored twice");
            entries.Apply([new StateChange(entry.Key, entry.Value)]);
            slots.Add(new(entry.Key, entry.Slot));
        }
        var state = new ChainState(genesis, entries, catalog ?? SettlementCatalog.Default, e => IncrementalStateTree.FromSlots(e, slots))
        {
            Height = tip.Height,
            TipHash = tip.Hash(),
            TipTimeMs = tip.TimeMs,
            TipCommit = tipCommit,
        };
        if (!Hashes.Equal(state.StateRoot, tip.StateRoot))
        {
            throw new BlockVerificationException(tip.Height,
                $"stored state has root {Hashes.Hex(state.StateRoot)}, the header says {Hashes.Hex(tip.StateRoot)}");
        }
        return state;
    }

    /// <summary>The commit signatures this state verified while checking blocks: each is verified once, also when the next block carries it again.</summary>
    public VerifiedPrecommits CommitSignatures => precommits;

    /// <summary>The set that commits the next block (chain.md §6).</summary>
    public ValidatorSet Validators => ValidatorSet.FromState(entries);

    /// <summary>The set that committed the tip: the prior set for one block after a change took effect, else <see cref="Validators"/>.</summary>
    public ValidatorSet TipCommitters
    {
        get
        {
            ValidatorSet prior = ValidatorSet.FromState(entries, StateKeys.ValidatorPriorPrefix);
            return prior.Validators.Count > 0 ? prior : Validators;
        }
    }

    /// <summary>Read-only typed access to the committed state (writes go to a throw-away overlay).</summary>
    public StateView View() => new(new StateOverlay(entries));

    public StateProof? Prove(string key) => roots.Prove(key);

    /// <summary>
    /// Proofs of many keys at once against the committed root (absent keys left out): each costs one inclusion path
    /// read from the kept subtree hashes, so one entry per meter after every block costs no tree rebuild.
    /// </summary>
    public IReadOnlyDictionary<string, StateProof> ProveMany(IReadOnlyCollection<string> keys)
    {
        ArgumentNullException.ThrowIfNull(keys);
        var proofs = new Dictionary<string, StateProof>(StringComparer.Ordinal);
        foreach (string key in keys)
        {
            if (!proofs.ContainsKey(key) && roots.Prove(key) is { } proof) proofs[key] = proof;
        }
        return proofs;
    }

    /// <summary>The committed entries in ordinal key order, each with its slot: what storage keeps to restore the state.</summary>
    public IEnumerable<SlottedEntry> SlottedEntries()
    {
        foreach (KeyValuePair<string, byte[]> entry in entries.Entries()) yield return new SlottedEntry(entry.Key, entry.Value, roots.SlotOf(entry.Key));
    }

    /// <summary>The committed key at each slot (null where free): the layout <see cref="StateTree.Root"/> takes.</summary>
    public string?[] SlotLayout() => roots.Layout();

    /// <summary>The state root this state would have with <paramref name="changes"/> (as <see cref="StateOverlay.Changes"/> gives them) applied.</summary>
    public byte[] StateRootAfter(IReadOnlyList<StateChange> changes) => roots.RootAfter(changes);

    /// <summary>Verifies <paramref name="block"/> against this state without changing it.</summary>
    /// <exception cref="BlockVerificationException">the block breaks a rule; the message says which.</exception>
    public PreparedBlock Prepare(Block block) => Prepare(block, null);

    /// <summary>
    /// As <see cref="Prepare(Block)"/>, with the block's transactions already decoded (each with its signature verified)
    /// where <paramref name="decoded"/> has them: entry i is used only if it was decoded from exactly the array object
    /// <c>block.Body.Transactions[i]</c>; a null entry (or no list) is decoded here. The replay of a stored chain decodes
    /// on worker threads ahead of it (issue 18); every verdict is the one decoding here gives.
    /// </summary>
    public PreparedBlock Prepare(Block block, IReadOnlyList<Transaction?>? decoded)
    {
        ArgumentNullException.ThrowIfNull(block);
        return Prepare(block, decoded, block.Header.Hash());
    }

    /// <param name="headerHash"><c>block.Header.Hash()</c>, computed by the caller from the header as it is now.</param>
    private PreparedBlock Prepare(Block block, IReadOnlyList<Transaction?>? decoded, byte[] headerHash)
    {
        string? commitProblem = BlockCommits.FindProblem(block.Commit, block.Header, headerHash, Validators, precommits.Check);
        if (commitProblem is not null) throw new BlockVerificationException(block.Height, commitProblem);
        return Execute(block.Header, block.Body, decoded).WithCommit(block.Commit);
    }

    /// <summary>
    /// Every rule of chain.md §6 except the block's own commit, which a proposal does not have yet: what a validator
    /// checks before it prevotes (valid(v) of the consensus). The state is not changed.
    /// </summary>
    /// <exception cref="BlockVerificationException">the block breaks a rule; the message says which.</exception>
    public ExecutedBlock Execute(BlockHeader h, BlockBody body) => Execute(h, body, null);

    /// <summary>As <see cref="Execute(BlockHeader, BlockBody)"/>; <paramref name="decoded"/> as for <see cref="Prepare(Block, IReadOnlyList{Transaction})"/>.</summary>
    public ExecutedBlock Execute(BlockHeader h, BlockBody body, IReadOnlyList<Transaction?>? decoded)
    {
        ArgumentNullException.ThrowIfNull(h);
        ArgumentNullException.ThrowIfNull(body);
        BlockRule.Require(h.Height, h.ChainId == ChainId, $"chain id '{h.ChainId}' is not '{ChainId}'");
        BlockRule.Require(h.Height, h.Height == Height + 1, $"height does not follow the tip {Height}");
        BlockRule.Require(h.Height, Hashes.Equal(h.PreviousHash, TipHash), $"previous hash {Hashes.Hex(h.PreviousHash)} is not the tip hash {Hashes.Hex(TipHash)}");
        BlockRule.Require(h.Height, h.TimeMs > TipTimeMs, $"time {h.TimeMs} ms is not after the previous block's {TipTimeMs} ms");
        ValidatorSet validators = Validators;
        BlockRule.Require(h.Height, validators.Contains(h.Proposer), $"proposer {Hashes.Hex(h.Proposer)} is not a validator");
        CheckPreviousCommit(h, body.PreviousCommit, TipCommitters);
        BlockRule.Require(h.Height, Hashes.Equal(h.TxRoot, body.TxRoot()), "transaction root does not match the body");
        // The recorded settlements are encoded once, for their root and for the comparison with the recomputed ones below.
        byte[][] recorded = body.EncodedSettlements();
        BlockRule.Require(h.Height, Hashes.Equal(h.SettlementRoot, BlockBody.SettlementRootOf(recorded)), "settlement root does not match the body");

        BlockExecution run = BlockExecutor.Run(entries, h.TimeMs, body.Transactions, Catalog, int.MaxValue, decoded: decoded);
        foreach (MempoolOutcome o in run.Outcomes)
        {
            BlockRule.Require(h.Height, o.Outcome.Status == TxStatus.Applied, $"transaction {o.Index} ({Hashes.Hex(o.TxId)}) is not applicable: {o.Outcome}");
        }
        BlockRule.Require(h.Height, run.Settlements.Count == body.Settlements.Count, $"closes {run.Settlements.Count} interval(s) at this time, the body records {body.Settlements.Count}");
        for (int i = 0; i < run.Settlements.Count; i++)
        {
            BlockRule.Require(h.Height, Hashes.Equal(run.Settlements[i].Encode(), recorded[i]),
                $"settlement of interval {run.Settlements[i].IntervalStart} differs from the recomputed one");
        }
        BlockRule.Require(h.Height, run.Applied.Count > 0 || run.Settlements.Count > 0, "empty block: no transactions and no interval closes");
        ValidatorSet next = ValidatorSet.FromState(run.View.Overlay);
        BlockRule.Require(h.Height, Hashes.Equal(h.ValidatorSetHash, next.Hash), $"validator-set hash {Hashes.Hex(h.ValidatorSetHash)} is not that of the set after this block, {Hashes.Hex(next.Hash)}");
        IReadOnlyList<StateChange> changes = run.View.Overlay.Changes();
        byte[] root = roots.RootAfter(changes);
        BlockRule.Require(h.Height, Hashes.Equal(root, h.StateRoot), $"state root {Hashes.Hex(h.StateRoot)} is not the recomputed {Hashes.Hex(root)}");
        return new ExecutedBlock(h, body, run.Applied, run.Settlements, changes, roots.SlotsAfter(changes), root, version);
    }

    /// <summary>
    /// The executed form of a block the producer has just built on this state from its own run of the executor
    /// (<see cref="Blocks.BlockProducer"/>): the same executor over the same state and transactions that
    /// <see cref="Execute"/> would run again, with the header made from that run's results, so every rule of chain.md
    /// §6 holds by construction and executing it a second time would only repeat the work (issue 18). Blocks from
    /// anywhere else (peers, sync, the stored chain) go through <see cref="Prepare"/>.
    /// </summary>
    internal ExecutedBlock ExecutedHere(BlockHeader h, BlockBody body, BlockExecution run, IReadOnlyList<StateChange> changes, byte[] stateRoot) =>
        new(h, body, run.Applied, run.Settlements, changes, roots.SlotsAfter(changes), stateRoot, version);

    /// <summary>chain.md §6: block h+1 carries a valid commit of the tip (none in block 1) and field 10 binds it.</summary>
    private void CheckPreviousCommit(BlockHeader h, CommitCertificate? previous, ValidatorSet validators)
    {
        if (!Hashes.Equal(h.PreviousCommitHash, BlockCommits.PreviousCommitHash(previous)))
        {
            throw new BlockVerificationException(h.Height, "previous-commit hash (header field 10) does not match the commit the body carries");
        }
        if (Height == 0)
        {
            if (previous is not null) throw new BlockVerificationException(h.Height, "block 1 carries a previous commit, but there is no block before it");
            return;
        }
        if (previous is null) throw new BlockVerificationException(h.Height, $"the body carries no commit of block {Height}");
        if (previous.Height != Height || !Hashes.Equal(previous.BlockId.ToArray(), TipHash))
        {
            throw new BlockVerificationException(h.Height, $"the carried commit is for block {previous.BlockId} at height {previous.Height}, not the tip {Hashes.Hex(TipHash)} at {Height}");
        }
        CertificateCheck check = previous.Verify(ChainId, validators.ForConsensus, precommits.Check);
        if (!check.IsValid) throw new BlockVerificationException(h.Height, $"the carried commit of block {Height} (round {previous.Round}): {check.Reason}");
    }

    /// <summary>Whether <paramref name="prepared"/> was verified against this state as it is now.</summary>
    public bool IsCurrent(PreparedBlock prepared) => prepared.BaseVersion == version;

    /// <summary>Makes a prepared block part of the state. Storage calls this only after its transaction committed.</summary>
    public void Commit(PreparedBlock prepared)
    {
        ArgumentNullException.ThrowIfNull(prepared);
        Commit(prepared, prepared.Block.Header.Hash());
    }

    /// <param name="headerHash"><c>prepared.Block.Header.Hash()</c>, computed by the caller from the header as it is now.</param>
    private void Commit(PreparedBlock prepared, byte[] headerHash)
    {
        if (prepared.BaseVersion != version) throw new InvalidOperationException("the block was prepared against an earlier state; prepare it again");
        entries.Apply(prepared.Changes);
        roots.Apply(prepared.Changes);
        Height = prepared.Block.Height;
        TipHash = headerHash;
        TipTimeMs = prepared.Block.Header.TimeMs;
        TipCommit = prepared.Block.Commit;
        StateRoot = prepared.StateRoot;
        version++;
    }

    /// <exception cref="BlockVerificationException">the block does not verify; the state is unchanged.</exception>
    public PreparedBlock ApplyBlock(Block block) => ApplyBlock(block, null);

    /// <exception cref="BlockVerificationException">the block does not verify; the state is unchanged.</exception>
    /// <param name="decoded">as for <see cref="Prepare(Block, IReadOnlyList{Transaction})"/>.</param>
    public PreparedBlock ApplyBlock(Block block, IReadOnlyList<Transaction?>? decoded)
    {
        ArgumentNullException.ThrowIfNull(block);
        // The header is hashed once for both its commit check and the new tip hash (issue 18): the prepared block holds
        // this very header object, and nothing between the check and the commit writes to it.
        byte[] headerHash = block.Header.Hash();
        PreparedBlock prepared = Prepare(block, decoded, headerHash);
        Commit(prepared, headerHash);
        return prepared;
    }
}

/// <summary>A block that passed every rule but its own commit, with everything its application changes.</summary>
/// <param name="Slots">Parallel to <paramref name="Changes"/>: each key's slot after the block (chain.md §3), −1 for a deleted key.</param>
public sealed record ExecutedBlock(
    BlockHeader Header,
    BlockBody Body,
    IReadOnlyList<Transaction> Transactions,
    IReadOnlyList<SettlementResult> Settlements,
    IReadOnlyList<StateChange> Changes,
    IReadOnlyList<int> Slots,
    byte[] StateRoot,
    long BaseVersion)
{
    /// <summary>The block made final by <paramref name="commit"/>; the caller has verified the commit against the set.</summary>
    public PreparedBlock WithCommit(CommitCertificate commit) => new(new Block(Header, Body, commit), Transactions, Settlements, Changes, Slots, StateRoot, BaseVersion);
}

/// <summary>A verified block with everything its application changes, ready to be stored and committed.</summary>
/// <param name="Slots">Parallel to <paramref name="Changes"/>: each key's slot after the block (chain.md §3), −1 for a deleted key.</param>
public sealed record PreparedBlock(
    Block Block,
    IReadOnlyList<Transaction> Transactions,
    IReadOnlyList<SettlementResult> Settlements,
    IReadOnlyList<StateChange> Changes,
    IReadOnlyList<int> Slots,
    byte[] StateRoot,
    long BaseVersion);
