using System.Formats.Cbor;
using System.Linq;
using System.Net;
using System.Security.Cryptography;
using CommunityGrid.Api.Json;
using CommunityGrid.Api.Tests.Support;
using CommunityGrid.Chain.Encoding;
using CommunityGrid.Chain.Intervals;
using CommunityGrid.Chain.Tests.Support;
using CommunityGrid.Storage;

namespace CommunityGrid.Api.Tests;

/// <summary>GET /community/totals and /validators over the busy test chain in SQLite on disk.</summary>
public sealed class CommunityQueryTests(BusyGateway gateway) : IClassFixture<BusyGateway>
{
    private static readonly long From = TestCommunity.IntervalStart(0);
    private static readonly long To = TestCommunity.IntervalStart(BusyGateway.Intervals);

    [Fact]
    public void Community_totals_add_up_the_recorded_settlements()
    {
        CommunityTotalsResponse t = Http.Get(gateway.Server.Client, $"/community/totals?from={From}&to={To}", ApiJsonContext.Default.CommunityTotalsResponse);

        var results = gateway.Store.GetSettlements(From, To).Select(s => s.Result).ToList();
        Assert.Equal(BusyGateway.Intervals, t.Total.Intervals);
        Assert.Equal(results.Sum(r => r.GridImportWh), t.Total.GridImportWh);
        Assert.Equal(results.Sum(r => r.GridCost), t.Total.GridCost);
        Assert.Equal(results.Sum(r => r.FundIncome), t.Total.FundIncome);
        Assert.Equal(results.SelectMany(r => r.Houses).Sum(h => h.ImportWh), t.Total.ImportWh);
        Assert.Equal(results.SelectMany(r => r.Houses).Sum(h => h.Cost - h.Revenue), t.Total.HousesPaid);
        Assert.Equal(t.Total.GridAlone - t.Total.HousesPaid, t.Total.Saving);
        // Grid-only settlement trades nothing inside: nothing is self-supplied.
        Assert.Equal(0, t.Total.SelfSufficiencyPermille);
        Assert.Equal(t.Total.Intervals, t.Days.Sum(d => d.Line.Intervals));
    }

    [Fact]
    public void Community_totals_refuse_a_bad_period()
    {
        Assert.Contains("multiples", Http.GetProblem(gateway.Server.Client, "/community/totals?from=5", HttpStatusCode.BadRequest).Detail);
    }

    [Fact]
    public void Validators_come_with_the_hash_every_header_names()
    {
        ValidatorsResponse v = Http.Get(gateway.Server.Client, "/validators", ApiJsonContext.Default.ValidatorsResponse);

        var w = new CborWriter(CborConformanceMode.Canonical);
        w.WriteStartArray(v.Validators.Count);
        foreach (ValidatorJson validator in v.Validators)
        {
            w.WriteStartArray(2);
            w.WriteByteString(System.Convert.FromHexString(validator.PublicKey));
            w.WriteTextString(validator.Address);
            w.WriteEndArray();
        }
        w.WriteEndArray();
        Assert.Equal(Hashes.Hex(SHA256.HashData(w.Encode())), v.Hash);
        Assert.Equal(Hashes.Hex(gateway.Store.TipHeader!.ValidatorSetHash), v.Hash);
        Assert.Equal(1, v.Quorum);
    }
}
