using System;
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
    /// <summary>How many blocks back GET /validators looks for each validator's last precommit: a bounded read per request.</summary>
    public const int ValidatorActivityWindow = 1000;

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
            StateView view = store.State.View();
            var lastSigned = new Dictionary<string, long>(StringComparer.Ordinal);
            for (long h = store.Height; h >= 1 && h > store.Height - ValidatorActivityWindow && lastSigned.Count < set.Validators.Count; h--)
            {
                foreach (var signature in store.GetBlock(h)!.Block.Commit.Signatures) lastSigned.TryAdd(Hashes.Hex(signature.Validator), h);
            }
            var validators = new List<ValidatorJson>();
            foreach (Validator v in set.Validators)
            {
                string key = Hashes.Hex(v.PublicKey);
                // Offence keys start with the validator's key (DoubleSignEvidence.OffenceKey): validator/height/round/type.
                int evidence = view.WithPrefix(StateKeys.Evidence(key + "/")).Count;
                validators.Add(new ValidatorJson(key, v.Address, lastSigned.TryGetValue(key, out long h) ? h : null, evidence));
            }
            return new ValidatorsResponse(validators, Hashes.Hex(set.Hash), set.Quorum, store.Height);
        });
        return Results.Json(response, ApiJsonContext.Web.ValidatorsResponse);
    }
}
