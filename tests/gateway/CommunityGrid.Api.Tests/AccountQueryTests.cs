using System;
using System.Formats.Cbor;
using System.Linq;
using System.Net;
using CommunityGrid.Api.Json;
using CommunityGrid.Api.Tests.Support;
using CommunityGrid.Chain.Encoding;
using CommunityGrid.Chain.Tests.Support;
using CommunityGrid.Protocol.Merkle;
using CommunityGrid.Storage;

namespace CommunityGrid.Api.Tests;

public sealed class AccountQueryTests(BusyGateway gateway) : IClassFixture<BusyGateway>
{
    [Fact]
    public void Readings_come_in_sequence_order_and_page_with_next_after()
    {
        var all = gateway.Store.GetReadings("m1", 0, 1000);
        Assert.True(all.Count >= 3, "the busy chain should hold at least three readings of m1");

        ReadingsResponse first = Http.Get(gateway.Server.Client, "/meters/m1/readings?limit=2", ApiJsonContext.Default.ReadingsResponse);
        Assert.Equal("m1", first.MeterId);
        Assert.Equal("h1", first.HouseId);
        Assert.Equal(all.Take(2).Select(r => r.Sequence), first.Readings.Select(r => r.Sequence));
        Assert.Equal(first.Readings[^1].Sequence, first.NextAfter);

        ReadingsResponse rest = Http.Get(gateway.Server.Client, $"/meters/m1/readings?after={first.NextAfter}", ApiJsonContext.Default.ReadingsResponse);
        Assert.Equal(all.Skip(2).Select(r => r.Sequence), rest.Readings.Select(r => r.Sequence));
        Assert.Null(rest.NextAfter);

        StoredReading expected = all[0];
        ReadingJson got = first.Readings[0];
        Assert.Equal((expected.IntervalStart, expected.ImportWh, expected.ExportWh, expected.Height, expected.Index, Hashes.Hex(expected.TxId)),
            (got.IntervalStart, got.ImportWh, got.ExportWh, got.Height, got.Index, got.TxId));
    }

    [Theory]
    [InlineData("/meters/m1/readings?limit=0", "'limit'")]
    [InlineData("/meters/m1/readings?limit=1001", "'limit'")]
    [InlineData("/meters/m1/readings?limit=ten", "'limit'")]
    [InlineData("/meters/m1/readings?after=-1", "'after'")]
    [InlineData("/meters/m1/readings?after=1&after=2", "given 2 times")]
    [InlineData("/meters/m%2F1/readings", "is not valid")]
    [InlineData("/meters/m%201/readings", "is not valid")]
    public void Bad_reading_queries_are_400s_that_name_the_parameter(string path, string expected)
    {
        ApiProblem problem = Http.GetProblem(gateway.Server.Client, path, HttpStatusCode.BadRequest);
        Assert.Contains(expected, problem.Detail);
    }

    [Fact]
    public void Readings_of_an_unknown_meter_are_a_404()
    {
        ApiProblem problem = Http.GetProblem(gateway.Server.Client, "/meters/m99/readings", HttpStatusCode.NotFound);
        Assert.Contains("cgrid meter enrol", problem.Detail);
    }

    [Fact]
    public void A_balance_comes_with_a_state_proof_that_verifies_against_the_tip_header()
    {
        BalanceResponse balance = Http.Get(gateway.Server.Client, "/houses/h1/balance", ApiJsonContext.Default.BalanceResponse);

        Assert.Equal(gateway.Community.Balance("h1"), balance.Balance);
        Assert.Equal(("EUR", 2), (balance.Currency, balance.MinorUnitDigits));
        Assert.Equal(gateway.Community.Blocks.Count, balance.Height);

        // A light client rebuilds the leaf itself from the key and the value it is told, so the server cannot
        // prove one value while claiming another.
        StateProofJson proof = balance.Proof;
        Assert.Equal("balance/h1", proof.Key);
        byte[] value = Convert.FromHexString(proof.Value);
        var reader = new CborReader(value, CborConformanceMode.Canonical);
        Assert.Equal(balance.Balance, reader.ReadInt64());
        var leaf = new CborWriter(CborConformanceMode.Canonical);
        leaf.WriteStartArray(2);
        leaf.WriteTextString(proof.Key);
        leaf.WriteEncodedValue(value);
        leaf.WriteEndArray();
        byte[] leafBytes = leaf.Encode();
        Assert.Equal(proof.Leaf, Hashes.Hex(leafBytes));

        BlockResponse tip = Http.Get(gateway.Server.Client, $"/blocks/{balance.Height}", ApiJsonContext.Default.BlockResponse);
        Assert.Equal(tip.Header.StateRoot, balance.StateRoot);
        Assert.Equal(tip.Hash, balance.BlockHash);
        byte[][] path = proof.Path.Select(Convert.FromHexString).ToArray();
        Assert.True(MerkleTree.VerifyInclusion(leafBytes, proof.LeafIndex, proof.TreeSize, path, Convert.FromHexString(tip.Header.StateRoot)));

        // A different balance under the same proof does not verify.
        var forged = new CborWriter(CborConformanceMode.Canonical);
        forged.WriteStartArray(2);
        forged.WriteTextString(proof.Key);
        forged.WriteInt64(balance.Balance + 1);
        forged.WriteEndArray();
        Assert.False(MerkleTree.VerifyInclusion(forged.Encode(), proof.LeafIndex, proof.TreeSize, path, Convert.FromHexString(tip.Header.StateRoot)));
    }

    [Fact]
    public void Balance_of_an_unknown_house_is_a_404_and_of_a_malformed_id_a_400()
    {
        Assert.Contains("not a member", Http.GetProblem(gateway.Server.Client, "/houses/h9/balance", HttpStatusCode.NotFound).Detail);
        Assert.Contains("is not valid", Http.GetProblem(gateway.Server.Client, "/houses/" + new string('h', 65) + "/balance", HttpStatusCode.BadRequest).Detail);
    }

    [Fact]
    public void A_closed_interval_has_its_settlement()
    {
        long start = TestCommunity.IntervalStart(1);
        SettlementResponse response = Http.Get(gateway.Server.Client, $"/intervals/{start}/settlement", ApiJsonContext.Default.SettlementResponse);

        StoredSettlement stored = gateway.Store.GetSettlement(start)!;
        Assert.Equal(stored.Height, response.Height);
        Assert.Equal("EUR", response.Currency);
        SettlementJson s = response.Settlement;
        Assert.Equal(start, s.IntervalStart);
        Assert.Equal(stored.Result.Mechanism, s.Mechanism);
        Assert.Equal(stored.Result.Houses.Select(h => (h.HouseId, h.ImportWh, h.ExportWh, h.Cost, h.Revenue, h.Net)),
            s.Houses.Select(h => (h.HouseId, h.ImportWh, h.ExportWh, h.Cost, h.Revenue, h.Net)));
        Assert.Equal((stored.Result.GridCost, stored.Result.GridRevenue, stored.Result.FundIncome), (s.GridCost, s.GridRevenue, s.FundIncome));

        // The recorded bytes and their proof against the settlement root of the header that recorded them.
        Assert.Equal(Hashes.Hex(stored.Result.Encode()), response.Encoded);
        byte[] root = gateway.Store.GetBlock(stored.Height)!.Block.Header.SettlementRoot;
        Assert.Equal(Hashes.Hex(root), response.Proof.SettlementRoot);
        Assert.True(MerkleTree.VerifyInclusion(Convert.FromHexString(response.Encoded), response.Proof.LeafIndex, response.Proof.TreeSize,
            response.Proof.Path.Select(Convert.FromHexString).ToArray(), root), "the settlement proof does not verify");
    }

    [Fact]
    public void Settlement_queries_say_why_there_is_none()
    {
        long open = TestCommunity.IntervalStart(BusyGateway.Intervals);
        Assert.Contains("has not closed yet", Http.GetProblem(gateway.Server.Client, $"/intervals/{open}/settlement", HttpStatusCode.NotFound).Detail);
        long early = TestCommunity.IntervalStart(-10);
        Assert.Contains("before this chain's first interval", Http.GetProblem(gateway.Server.Client, $"/intervals/{early}/settlement", HttpStatusCode.NotFound).Detail);
        Assert.Contains("not a multiple", Http.GetProblem(gateway.Server.Client, $"/intervals/{open + 1}/settlement", HttpStatusCode.BadRequest).Detail);
        Assert.Contains("Unix seconds", Http.GetProblem(gateway.Server.Client, "/intervals/yesterday/settlement", HttpStatusCode.BadRequest).Detail);
    }

    [Fact]
    public void A_signer_shows_its_last_nonce_and_roles()
    {
        SignerResponse treasurer = Http.Get(gateway.Server.Client, "/signers/" + Hashes.Hex(gateway.Community.Treasurer.PublicKey), ApiJsonContext.Default.SignerResponse);
        Assert.Equal(1, treasurer.LastNonce);
        Assert.Equal(["treasurer"], treasurer.Roles);

        SignerResponse installer = Http.Get(gateway.Server.Client, "/signers/" + Hashes.Hex(gateway.Community.Installer.PublicKey).ToUpperInvariant(), ApiJsonContext.Default.SignerResponse);
        Assert.Equal(4, installer.LastNonce);
        Assert.Equal(["installer"], installer.Roles);

        SignerResponse member = Http.Get(gateway.Server.Client, "/signers/" + Hashes.Hex(gateway.Community.Members[1].PublicKey), ApiJsonContext.Default.SignerResponse);
        Assert.Equal((0L, "h2"), (member.LastNonce, member.HouseId));
        Assert.Equal(["member"], member.Roles);

        Assert.Contains("64 hex digits", Http.GetProblem(gateway.Server.Client, "/signers/abcd", HttpStatusCode.BadRequest).Detail);
    }
}
