using System;
using System.Linq;
using System.Net;
using CommunityGrid.Api.Json;
using CommunityGrid.Api.Tests.Support;
using CommunityGrid.Chain.Blocks;
using CommunityGrid.Chain.Encoding;
using CommunityGrid.Consensus;
using CommunityGrid.Consensus.Messages;
using CommunityGrid.Chain.Tests.Support;
using CommunityGrid.Formats.Signing;
using CommunityGrid.Protocol.Merkle;

namespace CommunityGrid.Api.Tests;

public sealed class ChainQueryTests(BusyGateway gateway) : IClassFixture<BusyGateway>
{
    private Block LastBlock => gateway.Community.Blocks[^1];

    [Fact]
    public void Status_reports_the_tip_and_the_last_closed_interval()
    {
        StatusResponse status = Http.Get(gateway.Server.Client, "/status", ApiJsonContext.Default.StatusResponse);

        Assert.Equal(TestCommunity.ChainId, status.ChainId);
        Assert.Equal(Hashes.Hex(gateway.Community.State.GenesisHash), status.GenesisHash);
        Assert.Equal(gateway.Community.Blocks.Count, status.Height);
        Assert.Equal(Hashes.Hex(LastBlock.Header.Hash()), status.TipHash);
        Assert.Equal(LastBlock.Header.TimeMs, status.TipTimeMs);
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(status.TipTimeMs), DateTimeOffset.Parse(status.TipTime, System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(TestCommunity.Interval, status.IntervalSeconds);
        Assert.Equal(TestCommunity.IntervalStart(BusyGateway.Intervals - 1), status.LastClosedIntervalStart);
        Assert.Equal(TestCommunity.IntervalStart(BusyGateway.Intervals), status.NextIntervalStart);
        // The test chain lives in 2027, ahead of the clock, so nothing is overdue.
        Assert.Equal(0, status.IntervalLagSeconds);
    }

    [Fact]
    public void A_block_carries_its_header_tx_ids_settlements_and_a_commit_that_verifies()
    {
        Block stored = LastBlock;
        BlockResponse block = Http.Get(gateway.Server.Client, $"/blocks/{stored.Height}", ApiJsonContext.Default.BlockResponse);

        Assert.Equal(stored.Height, block.Height);
        byte[] headerBytes = Convert.FromHexString(block.HeaderCbor);
        Assert.Equal(block.Hash, Hashes.Hex(Hashes.Sha256(headerBytes)));
        Assert.Equal(Hashes.Hex(stored.Header.Hash()), block.Hash);
        Assert.Equal(Hashes.Hex(stored.Header.StateRoot), block.Header.StateRoot);
        Assert.Equal(Hashes.Hex(stored.Header.PreviousHash), block.Header.PreviousHash);
        Assert.Equal(stored.Header.TimeMs, block.Header.TimeMs);
        Assert.Equal(TestCommunity.ChainId, block.Header.ChainId);

        // The last block of the busy chain only closes an interval.
        Assert.Empty(block.TxIds);
        SettlementJson settlement = Assert.Single(block.Settlements);
        Assert.Equal(TestCommunity.IntervalStart(BusyGateway.Intervals - 1), settlement.IntervalStart);

        CommitSignatureJson signature = Assert.Single(block.Commit);
        Assert.Equal(block.Header.Proposer, signature.ValidatorKey);
        byte[] message = SignedVote.SignBytes(block.Header.ChainId, MessageType.Precommit, block.Height, block.CommitRound, new BlockId(Convert.FromHexString(block.Hash)));
        Assert.True(Ed25519Verifier.Verify(Convert.FromHexString(signature.ValidatorKey), message, Convert.FromHexString(signature.Signature)));
    }

    [Fact]
    public void A_block_lists_the_ids_of_its_transactions_in_order()
    {
        Block stored = gateway.Community.Blocks[0];
        BlockResponse block = Http.Get(gateway.Server.Client, "/blocks/1", ApiJsonContext.Default.BlockResponse);

        Assert.Equal(stored.Body.Transactions.Select(tx => Hashes.Hex(Hashes.Sha256(tx))), block.TxIds);
        Assert.Equal(Hashes.Hex(gateway.Community.State.GenesisHash), block.Header.PreviousHash);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-1")]
    [InlineData("abc")]
    [InlineData("1.5")]
    [InlineData("99999999999999999999")]
    public void A_malformed_height_is_a_400(string height)
    {
        ApiProblem problem = Http.GetProblem(gateway.Server.Client, "/blocks/" + height, HttpStatusCode.BadRequest);
        Assert.Contains("at least 1", problem.Detail);
    }

    [Fact]
    public void A_height_above_the_tip_is_a_404_that_names_the_tip()
    {
        ApiProblem problem = Http.GetProblem(gateway.Server.Client, "/blocks/1000", HttpStatusCode.NotFound);
        Assert.Contains($"height is {gateway.Community.Blocks.Count}", problem.Detail);
    }

    [Fact]
    public void A_reading_transaction_comes_with_an_inclusion_proof_that_verifies_against_its_block()
    {
        Block stored = gateway.Community.Blocks.First(b => b.Body.Transactions.Count > 2 && b.Height > 2);
        byte[] txBytes = stored.Body.Transactions[2];
        string txId = Hashes.Hex(Hashes.Sha256(txBytes));

        TransactionResponse tx = Http.Get(gateway.Server.Client, "/transactions/" + txId, ApiJsonContext.Default.TransactionResponse);

        Assert.Equal(txId, tx.TxId);
        Assert.Equal("reading", tx.Type);
        Assert.Equal(1, tx.TypeCode);
        Assert.Equal(stored.Height, tx.Height);
        Assert.Equal(2, tx.Index);
        Assert.NotNull(tx.Reading);
        Assert.Null(tx.Payment);
        Assert.Equal(TestCommunity.ChainId, tx.Reading!.ChainId);

        // What a light client does: hash the bytes, check the path up to the tx root, and that root against the block.
        byte[] bytes = Convert.FromHexString(tx.Bytes);
        Assert.Equal(txId, Hashes.Hex(Hashes.Sha256(bytes)));
        byte[][] path = tx.Proof.Path.Select(Convert.FromHexString).ToArray();
        byte[] root = Convert.FromHexString(tx.Proof.TxRoot);
        Assert.True(MerkleTree.VerifyInclusion(bytes, tx.Proof.LeafIndex, tx.Proof.TreeSize, path, root));
        BlockResponse block = Http.Get(gateway.Server.Client, $"/blocks/{tx.Height}", ApiJsonContext.Default.BlockResponse);
        Assert.Equal(block.Header.TxRoot, tx.Proof.TxRoot);
        Assert.Equal(block.Hash, tx.BlockHash);

        // And the proof is not vacuous: another leaf does not verify with it.
        Assert.False(MerkleTree.VerifyInclusion(stored.Body.Transactions[0], tx.Proof.LeafIndex, tx.Proof.TreeSize, path, root));
    }

    [Fact]
    public void A_payment_transaction_is_summarised()
    {
        byte[] payment = gateway.Community.Blocks[1].Body.Transactions[0];
        TransactionResponse tx = Http.Get(gateway.Server.Client, "/transactions/" + Hashes.Hex(Hashes.Sha256(payment)), ApiJsonContext.Default.TransactionResponse);

        Assert.Equal("payment", tx.Type);
        Assert.Equal(new PaymentSummary(TestCommunity.ChainId, 1, "h1", "deposit", 10_000, "bank ref"), tx.Payment);
        Assert.Equal(Hashes.Hex(gateway.Community.Treasurer.PublicKey), tx.Signer);
    }

    [Fact]
    public void An_enrolment_is_summarised()
    {
        byte[] enrol = gateway.Community.Blocks[0].Body.Transactions[0];
        TransactionResponse tx = Http.Get(gateway.Server.Client, "/transactions/" + Hashes.Hex(Hashes.Sha256(enrol)), ApiJsonContext.Default.TransactionResponse);

        Assert.Equal("enrol-meter", tx.Type);
        Assert.Equal("m1", tx.EnrolMeter!.MeterId);
        Assert.Equal("h1", tx.EnrolMeter.HouseId);
        Assert.Equal("connection", tx.EnrolMeter.Role);
        Assert.Equal(Hashes.Hex(gateway.Community.Meters["m1"].PublicKey), tx.EnrolMeter.MeterKey);
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("00")]
    [InlineData("zz00000000000000000000000000000000000000000000000000000000000000")]
    public void A_malformed_transaction_id_is_a_400(string id)
    {
        ApiProblem problem = Http.GetProblem(gateway.Server.Client, "/transactions/" + id, HttpStatusCode.BadRequest);
        Assert.Contains("64 hex digits", problem.Detail);
    }

    [Fact]
    public void An_unknown_transaction_is_a_404()
    {
        ApiProblem problem = Http.GetProblem(gateway.Server.Client, "/transactions/" + new string('a', 64), HttpStatusCode.NotFound);
        // Neither in the chain nor known to the backend: nothing to wait for (a pending one says "retry after the next block").
        Assert.Contains("submit it with POST /transactions", problem.Detail);
    }
}
