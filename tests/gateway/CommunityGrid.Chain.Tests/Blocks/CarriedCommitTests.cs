using CommunityGrid.Chain.Blocks;
using CommunityGrid.Chain.Tests.Support;
using CommunityGrid.Consensus;
using CommunityGrid.Consensus.Messages;
using CommunityGrid.Formats.Signing;

namespace CommunityGrid.Chain.Tests.Blocks;

/// <summary>chain.md §6: block h+1 carries the commit certificate of block h, bound by header field 10.</summary>
public sealed class CarriedCommitTests
{
    private static (TestCommunity Community, Block First, Block Second) TwoBlocks()
    {
        var c = new TestCommunity().WithMeters();
        Block first = BlockProducer.Produce(c.State, [c.ReadingTx("m1", 1, 0, 10, 0)], TestCommunity.EndOf(0), c.Validator).Block!;
        c.State.ApplyBlock(first);
        Block second = BlockProducer.Produce(c.State, [c.ReadingTx("m1", 2, 1, 20, 0)], TestCommunity.EndOf(1), c.Validator).Block!;
        return (c, first, second);
    }

    private static void AssertRejected(TestCommunity c, Block block, string expected)
    {
        long height = c.State.Height;
        var e = Assert.Throws<BlockVerificationException>(() => c.State.ApplyBlock(block));
        Assert.Contains(expected, e.Message);
        Assert.Equal(height, c.State.Height);
    }

    [Fact]
    public void The_next_block_carries_the_tip_commit_and_its_hash()
    {
        (TestCommunity c, Block first, Block second) = TwoBlocks();
        using (c)
        {
            Assert.Equal(1, c.Blocks[0].Height);
            Assert.Null(c.Blocks[0].Body.PreviousCommit);
            Assert.Equal(new byte[32], c.Blocks[0].Header.PreviousCommitHash);
            Assert.Equal(first.Commit.Encode(), second.Body.PreviousCommit!.Encode());
            Assert.Equal(System.Security.Cryptography.SHA256.HashData(first.Commit.Encode()), second.Header.PreviousCommitHash);
            c.State.ApplyBlock(second);
            Assert.Equal(second.Height, c.State.Height);
            Assert.Same(second.Commit, c.State.TipCommit);
        }
    }

    [Fact]
    public void A_block_without_the_previous_commit_is_refused()
    {
        (TestCommunity c, _, Block second) = TwoBlocks();
        using (c)
        {
            BlockBody body = second.Body with { PreviousCommit = null };
            BlockHeader header = second.Header with { PreviousCommitHash = BlockCommits.PreviousCommitHash(null) };
            AssertRejected(c, BlockForge.Resign(header, body, c.Validator), $"carries no commit of block {c.State.Height}");
        }
    }

    [Fact]
    public void Field_10_must_bind_the_carried_commit()
    {
        (TestCommunity c, _, Block second) = TwoBlocks();
        using (c)
        {
            BlockHeader header = second.Header with { PreviousCommitHash = new byte[32] };
            AssertRejected(c, BlockForge.Resign(header, second.Body, c.Validator), "field 10");
        }
    }

    [Fact]
    public void A_carried_commit_of_another_block_or_signer_is_refused()
    {
        (TestCommunity c, Block first, Block second) = TwoBlocks();
        using (c)
        using (Ed25519Signer outsider = Ed25519Signer.Generate())
        {
            CommitCertificate forged = BlockCommits.SignAlone(first.Header, outsider);
            CommitCertificate otherBlock = CommitCertificate.FromPrecommits(
                [SignedVote.Create(c.State.ChainId, MessageType.Precommit, first.Height, 0, new BlockId(new byte[32]), c.Validator)]);
            foreach ((CommitCertificate carried, string expected) in new[] { (forged, "not in the validator set"), (otherBlock, "not the tip") })
            {
                BlockBody body = second.Body with { PreviousCommit = carried };
                BlockHeader header = second.Header with { PreviousCommitHash = BlockCommits.PreviousCommitHash(carried) };
                AssertRejected(c, BlockForge.Resign(header, body, c.Validator), expected);
            }
        }
    }

    [Fact]
    public void A_commit_of_another_round_does_not_verify()
    {
        (TestCommunity c, Block first, _) = TwoBlocks();
        using (c)
        {
            // The round is in the signed bytes (consensus.md §2.1): a signature of round 0 relabelled as round 1 fails.
            CommitSignature signature = first.Commit.Signatures[0];
            var relabelled = new CommitCertificate(first.Height, 1, first.Commit.BlockId, [signature]);
            Assert.Contains("round 1", BlockCommits.FindProblem(relabelled, first.Header, CommunityGrid.Chain.Blocks.ValidatorSet.FromGenesis(c.Genesis)));
        }
    }
}
