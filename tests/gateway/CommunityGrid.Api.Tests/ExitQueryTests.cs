using System;
using System.Formats.Cbor;
using System.Linq;
using System.Net;
using CommunityGrid.Api.Json;
using CommunityGrid.Api.Tests.Support;
using CommunityGrid.Chain.Breakaway;
using CommunityGrid.Chain.Encoding;
using CommunityGrid.Protocol.Merkle;

namespace CommunityGrid.Api.Tests;

public sealed class ExitQueryTests(ExitGateway gateway) : IClassFixture<ExitGateway>
{
    [Fact]
    public void An_exit_record_shows_owed_settled_and_open_with_a_proof_against_the_tip()
    {
        ExitResponse exit = Http.Get(gateway.Server.Client, "/houses/h2/exit", ApiJsonContext.Default.ExitResponse);
        Assert.Equal(("new-grid", "final"), (exit.NewChainId, exit.Status));
        Assert.Equal((-300L, 0L, -300L, -100L, -200L), (exit.FinalBalance, exit.FundShare, exit.Owed, exit.Settled, exit.Open));
        ExitMeterJson meter = Assert.Single(exit.Meters);
        Assert.Equal(("m2", "connection", 1000L, 1L), (meter.MeterId, meter.Role, meter.ImportWh, meter.LastSequence));

        ExitRecord record = ExitRecord.Decode(Convert.FromHexString(exit.Proof.Value));
        Assert.Equal(exit.RecordHash, Hashes.Hex(record.Hash()));
        var leaf = new CborWriter(CborConformanceMode.Canonical);
        leaf.WriteStartArray(2);
        leaf.WriteTextString(exit.Proof.Key);
        leaf.WriteEncodedValue(Convert.FromHexString(exit.Proof.Value));
        leaf.WriteEndArray();
        byte[] leafBytes = leaf.Encode();
        Assert.Equal("exit/h2", exit.Proof.Key);
        BlockResponse tip = Http.Get(gateway.Server.Client, $"/blocks/{exit.Height}", ApiJsonContext.Default.BlockResponse);
        Assert.Equal(tip.Header.StateRoot, exit.StateRoot);
        byte[][] path = exit.Proof.Path.Select(Convert.FromHexString).ToArray();
        Assert.True(MerkleTree.VerifyInclusion(leafBytes, exit.Proof.LeafIndex, exit.Proof.TreeSize, path, Convert.FromHexString(tip.Header.StateRoot)));
    }

    [Fact]
    public void A_record_with_nothing_owed_is_closed()
    {
        ExitResponse exit = Http.Get(gateway.Server.Client, "/houses/h3/exit", ApiJsonContext.Default.ExitResponse);
        Assert.Equal(("closed", 0L, 0L), (exit.Status, exit.Owed, exit.Open));
    }

    [Fact]
    public void The_balance_of_a_house_that_left_points_to_its_exit_record()
    {
        Assert.Contains("/houses/h2/exit", Http.GetProblem(gateway.Server.Client, "/houses/h2/balance", HttpStatusCode.NotFound).Detail);
    }

    [Fact]
    public void A_house_without_an_exit_is_a_404_and_a_malformed_id_a_400()
    {
        Assert.Contains("cgrid exit leave", Http.GetProblem(gateway.Server.Client, "/houses/h1/exit", HttpStatusCode.NotFound).Detail);
        Assert.Contains("is not valid", Http.GetProblem(gateway.Server.Client, "/houses/h%2F1/exit", HttpStatusCode.BadRequest).Detail);
    }
}
