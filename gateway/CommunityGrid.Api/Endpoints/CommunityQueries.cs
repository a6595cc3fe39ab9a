using System.Collections.Generic;
using CommunityGrid.Api.Json;
using CommunityGrid.Api.Statements;
using CommunityGrid.Chain.Blocks;
using CommunityGrid.Chain.Encoding;
using CommunityGrid.Chain.State;
using Microsoft.AspNetCore.Http;

namespace CommunityGrid.Api.Endpoints;

/// <summary>GET /community/totals and /validators (docs/api.md).</summary>
internal static class CommunityQueries
{
    public static IResult Totals(IGatewayBackend backend, IQueryCollection query)
    {
        if (HouseQueries.PeriodQuery(query, out long from, out long to, out int offsetMinutes) is { } bad) return bad;
        var built = backend.Read<(CommunityTotalsResponse? Totals, string? Error)>(store =>
        {
            StateView view = store.State.View();
            ChainParameters p = view.Parameters;
            if (HouseQueries.PeriodProblem(from, to, p.IntervalSeconds, view.NextInterval, out long start, out long end) is { } wrong) return (null, wrong);
            return (CommunityTotals.Build(start, end, offsetMinutes, p.Currency, p.MinorUnitDigits, p.RetailPrice, p.FeedInPrice,
                store.GetSettlements(start, end), store.Height), null);
        });
        return built.Totals is { } totals ? Results.Json(totals, ApiJsonContext.Web.CommunityTotalsResponse) : Problems.Bad(built.Error!);
    }

    public static IResult Validators(IGatewayBackend backend)
    {
        ValidatorsResponse response = backend.Read(store =>
        {
            ValidatorSet set = store.State.Validators;
            var validators = new List<ValidatorJson>();
            foreach (Validator v in set.Validators) validators.Add(new ValidatorJson(Hashes.Hex(v.PublicKey), v.Address));
            return new ValidatorsResponse(validators, Hashes.Hex(set.Hash), set.Quorum, store.Height);
        });
        return Results.Json(response, ApiJsonContext.Web.ValidatorsResponse);
    }
}
