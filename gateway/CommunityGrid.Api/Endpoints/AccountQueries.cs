using System.Collections.Generic;
using CommunityGrid.Api.Json;
using CommunityGrid.Chain.Encoding;
using CommunityGrid.Chain.State;
using CommunityGrid.Storage;
using Microsoft.AspNetCore.Http;

namespace CommunityGrid.Api.Endpoints;

/// <summary>GET /meters/{id}/readings, /houses/{id}/balance, /intervals/{start}/settlement, /signers/{key}.</summary>
internal static class AccountQueries
{
    public const int DefaultReadingLimit = 100;
    public const int MaxReadingLimit = 1000;

    public static IResult Readings(IGatewayBackend backend, string meterId, IQueryCollection query)
    {
        if (!Identifiers.IsEntityId(meterId)) return Problems.Bad($"meter id '{meterId}' is not valid: ids are {Identifiers.EntityIdRule}");
        if (!Parameters.TryQuery(query, "after", 0, 0, long.MaxValue, out long after, out string? error)) return Problems.Bad(error!);
        if (!Parameters.TryQuery(query, "limit", DefaultReadingLimit, 1, MaxReadingLimit, out long limit, out error)) return Problems.Bad(error!);

        var found = backend.Read(store => store.State.View().Meter(meterId) is { } meter
            ? (meter.HouseId, store.GetReadings(meterId, after, (int)limit))
            : ((string HouseId, IReadOnlyList<StoredReading> Readings)?)null);
        if (found is not { } page)
        {
            return Problems.Missing($"meter '{meterId}' is not enrolled on this chain; enrol it with `cgrid meter enrol` first");
        }
        var readings = new List<ReadingJson>(page.Readings.Count);
        foreach (StoredReading r in page.Readings)
        {
            readings.Add(new ReadingJson(r.Sequence, r.IntervalStart, r.ImportWh, r.ExportWh, r.PvWh, Hashes.Hex(r.TxId), r.Height, r.Index));
        }
        long? nextAfter = readings.Count == limit ? readings[^1].Sequence : null;
        return Results.Json(new ReadingsResponse(meterId, page.HouseId, readings, nextAfter), ApiJsonContext.Web.ReadingsResponse);
    }

    public static IResult Balance(IGatewayBackend backend, string houseId)
    {
        if (!Identifiers.IsEntityId(houseId)) return Problems.Bad($"house id '{houseId}' is not valid: ids are {Identifiers.EntityIdRule}");
        bool left = false;
        BalanceResponse? balance = backend.Read(store =>
        {
            left = store.State.Entries.Get(Chain.Breakaway.ExitKeys.Exit(houseId)) is not null;
            // The state at the tip is what the tip header's state root commits to (at height 0: the genesis state).
            ChainState state = store.State;
            if (state.Prove(StateKeys.Balance(houseId)) is not { } proof) return null;
            ChainParameters p = state.View().Parameters;
            return new BalanceResponse(houseId, StateValues.DecodeInt(proof.Value, "balance"), p.Currency, p.MinorUnitDigits,
                state.Height, Hashes.Hex(state.TipHash), Hashes.Hex(state.StateRoot),
                new StateProofJson(proof.Key, Hashes.Hex(proof.Value), Hashes.Hex(proof.Leaf), proof.Index, proof.TreeSize, ChainJson.HexList(proof.Path)));
        });
        return balance is null
            ? Problems.Missing(left
                ? $"house '{houseId}' has left this community; its final balance is in its exit record, GET /houses/{houseId}/exit"
                : $"house '{houseId}' is not a member of this community; a treasurer admits it with `cgrid member add`")
            : Results.Json(balance, ApiJsonContext.Web.BalanceResponse);
    }

    public static IResult Settlement(IGatewayBackend backend, string startText)
    {
        if (!Parameters.TryNonNegative(startText, out long start))
        {
            return Problems.Bad($"interval start must be Unix seconds (a whole number), got '{startText}'");
        }
        var (settlement, p, next, proof) = backend.Read(store =>
        {
            StateView view = store.State.View();
            StoredSettlement? found = store.GetSettlement(start);
            return (found, view.Parameters, view.NextInterval, found is null ? null : ProveSettlement(store, found));
        });
        if (start % p.IntervalSeconds != 0)
        {
            return Problems.Bad($"interval start {start} is not a multiple of the interval length {p.IntervalSeconds} s; intervals start at {start - start % p.IntervalSeconds} and {start - start % p.IntervalSeconds + p.IntervalSeconds}");
        }
        if (settlement is null)
        {
            return Problems.Missing(start >= next
                ? $"interval {start} has not closed yet; intervals close {p.GraceSeconds} s after they end, and the earliest open one starts at {next}"
                : $"interval {start} lies before this chain's first interval, so it has no settlement");
        }
        return Results.Json(new SettlementResponse(settlement.Height, p.Currency, p.MinorUnitDigits, ChainJson.Settlement(settlement.Result),
            Hashes.Hex(settlement.Result.Encode()), proof!), ApiJsonContext.Web.SettlementResponse);
    }

    /// <summary>The result's inclusion proof against the settlement root of the block that recorded it.</summary>
    private static SettlementProofJson ProveSettlement(ChainStore store, StoredSettlement settlement)
    {
        var block = store.GetBlock(settlement.Height)!.Block;
        int index = 0;
        while (block.Body.Settlements[index].IntervalStart != settlement.Result.IntervalStart) index++;
        return new SettlementProofJson(index, block.Body.Settlements.Count, ChainJson.HexList(block.Body.SettlementInclusionProof(index)),
            Hashes.Hex(block.Header.SettlementRoot));
    }

    public static IResult Signer(IGatewayBackend backend, string keyText)
    {
        if (!Parameters.TryHash(keyText, out byte[] key))
        {
            return Problems.Bad($"a public key is 32 bytes as 64 hex digits, got '{keyText}'");
        }
        SignerResponse signer = backend.Read(store =>
        {
            StateView view = store.State.View();
            var roles = new List<string>();
            if (view.IsInstaller(key)) roles.Add("installer");
            if (view.IsTreasurer(key)) roles.Add("treasurer");
            string? house = view.Overlay.Get(StateKeys.MemberKey(key)) is { } h ? StateValues.DecodeText(h, "member key") : null;
            string? meter = view.Overlay.Get(StateKeys.MeterKey(key)) is { } m ? StateValues.DecodeText(m, "meter key") : null;
            if (house is not null) roles.Add("member");
            if (meter is not null) roles.Add("meter");
            return new SignerResponse(Hashes.Hex(key), view.Nonce(key), roles, house, meter, store.Height);
        });
        return Results.Json(signer, ApiJsonContext.Web.SignerResponse);
    }
}
