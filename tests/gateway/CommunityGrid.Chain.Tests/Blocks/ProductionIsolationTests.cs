using System.Collections.Generic;
using CommunityGrid.Chain.Blocks;
using CommunityGrid.Chain.State;
using CommunityGrid.Chain.Tests.Support;
using CommunityGrid.Chain.Validation;

namespace CommunityGrid.Chain.Tests.Blocks;

/// <summary>
/// Issue 11 case 1, "block production must never be stuck on one transaction": even a transaction whose execution
/// throws (here: a meter whose state record is the integer 0, not a meter record) is dropped with ExecutionFailed, leaves no writes
/// behind, and the block is produced for the others; verification of a block holding it fails cleanly.
/// </summary>
public sealed class ProductionIsolationTests
{
    private static ChainState WithUnreadableMeter(TestCommunity c, string meterId)
    {
        var entries = new List<SlottedEntry>();
        var corrupt = new StateEntries();
        foreach (SlottedEntry e in c.State.SlottedEntries())
        {
            SlottedEntry entry = e.Key == StateKeys.Meter(meterId) ? e with { Value = [0x00] } : e;
            entries.Add(entry);
            corrupt.Apply([new StateChange(entry.Key, entry.Value)]);
        }
        BlockHeader tip = c.Blocks[^1].Header with { StateRoot = StateTree.Root(corrupt, c.State.SlotLayout()) };
        return ChainState.FromSnapshot(c.Genesis, tip, BlockCommits.SignAlone(tip, c.Validator), entries);
    }

    [Fact]
    public void A_transaction_that_throws_is_dropped_and_the_others_get_their_block()
    {
        using var c = new TestCommunity().WithMeters();
        ChainState state = WithUnreadableMeter(c, "m1");

        Produced produced = BlockProducer.Produce(state, [c.ReadingTx("m1", 1, 0, 100, 0), c.ReadingTx("m2", 1, 0, 200, 0)], TestCommunity.EndOf(0), c.Validator);

        Assert.Equal(RejectionReason.ExecutionFailed, produced.Outcomes[0].Outcome.Reason);
        Assert.Contains("meter record", produced.Outcomes[0].Outcome.Detail);
        Assert.Equal(TxStatus.Applied, produced.Outcomes[1].Outcome.Status);
        Assert.Single(produced.Block!.Body.Transactions);
        state.ApplyBlock(produced.Block);
        Assert.Equal(200, state.View().Pending(TestCommunity.IntervalStart(0), "h2")!.ImportWh);

        // A block that does hold it is refused by verification, which runs the same isolated execution.
        var body = new BlockBody([c.ReadingTx("m1", 2, 0, 100, 0)], [], state.TipCommit);
        var header = new BlockHeader(state.ChainId, state.Height + 1, TestCommunity.EndOf(0) + 5, state.TipHash, body.TxRoot(),
            state.StateRoot, body.SettlementRoot(), state.Validators.Hash, c.Validator.PublicKey, BlockCommits.PreviousCommitHash(state.TipCommit));
        var e = Assert.Throws<BlockVerificationException>(() => state.Prepare(BlockForge.Resign(header, body, c.Validator)));
        Assert.Contains("ExecutionFailed", e.Message);
    }
}
