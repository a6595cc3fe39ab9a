using CommunityGrid.Chain.Blocks;
using CommunityGrid.Consensus;
using CommunityGrid.Consensus.Messages;
using CommunityGrid.Chain.Tests.Support;
using CommunityGrid.Formats.Signing;

namespace CommunityGrid.Chain.Tests.Blocks;

public sealed class BlockVerificationTests
{
    private static (TestCommunity Community, Block Next) Setup()
    {
        var c = new TestCommunity().WithMeters();
        Block next = BlockProducer.Produce(c.State, [c.ReadingTx("m1", 1, 0, 10, 0)], TestCommunity.EndOf(0), c.Validator).Block!;
        return (c, next);
    }

    private static void AssertRejected(TestCommunity c, Block block, string expected)
    {
        byte[] root = c.State.StateRoot;
        long height = c.State.Height;
        var e = Assert.Throws<BlockVerificationException>(() => c.State.ApplyBlock(block));
        Assert.Contains(expected, e.Message);
        Assert.Equal(root, c.State.StateRoot);
        Assert.Equal(height, c.State.Height);
    }

    [Fact]
    public void A_produced_block_applies()
    {
        (TestCommunity c, Block next) = Setup();
        using (c) c.State.ApplyBlock(next);
    }

    [Fact]
    public void Wrong_state_root()
    {
        (TestCommunity c, Block next) = Setup();
        using (c)
        {
            BlockHeader h = next.Header with { StateRoot = new byte[32] };
            AssertRejected(c, BlockForge.Resign(h, next.Body, c.Validator), "state root");
        }
    }

    [Fact]
    public void Commit_by_a_key_outside_the_validator_set()
    {
        (TestCommunity c, Block next) = Setup();
        using (c)
        using (Ed25519Signer outsider = Ed25519Signer.Generate())
        {
            AssertRejected(c, BlockForge.Resign(next.Header, next.Body, outsider), "not in the validator set");
        }
    }

    [Fact]
    public void Commit_signature_over_another_header()
    {
        (TestCommunity c, Block next) = Setup();
        using (c)
        {
            Block tampered = next with { Header = next.Header with { TimeMs = next.Header.TimeMs + 1 } };
            AssertRejected(c, tampered, "not for this header");
        }
    }

    [Fact]
    public void Missing_commit()
    {
        (TestCommunity c, Block next) = Setup();
        using (c) AssertRejected(c, next with { Commit = new CommitCertificate(next.Height, 0, new BlockId(next.Header.Hash()), []) }, "no signature");
    }

    [Fact]
    public void Broken_links_and_times()
    {
        (TestCommunity c, Block next) = Setup();
        using (c)
        {
            AssertRejected(c, BlockForge.Resign(next.Header with { PreviousHash = new byte[32] }, next.Body, c.Validator), "previous hash");
            AssertRejected(c, BlockForge.Resign(next.Header with { Height = 5 }, next.Body, c.Validator), "height");
            AssertRejected(c, BlockForge.Resign(next.Header with { TimeMs = c.State.TipTimeMs }, next.Body, c.Validator), "not after");
            AssertRejected(c, BlockForge.Resign(next.Header with { ChainId = "elsewhere" }, next.Body, c.Validator), "chain id");
        }
    }

    [Fact]
    public void Body_that_does_not_match_the_header()
    {
        (TestCommunity c, Block next) = Setup();
        using (c)
        {
            var body = new BlockBody([c.ReadingTx("m2", 1, 0, 10, 0)], [], next.Body.PreviousCommit);
            AssertRejected(c, next with { Body = body }, "transaction root");
        }
    }

    [Fact]
    public void Omitted_settlement_and_empty_blocks()
    {
        using var c = new TestCommunity().WithMeters();
        AssertRejected(c, BlockForge.Build(c, TestCommunity.CloseOf(0), []), "closes 1 interval");
        AssertRejected(c, BlockForge.Build(c, TestCommunity.CloseOf(0) - 1, []), "empty block");
    }
}
