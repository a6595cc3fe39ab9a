using System.Collections.Generic;
using System.Globalization;
using System.Text;
using CommunityGrid.Api.Json;
using CommunityGrid.Api.Statements;
using CommunityGrid.Chain.Encoding;
using CommunityGrid.Chain.State;
using CommunityGrid.Chain.Transactions;
using CommunityGrid.Storage;
using Microsoft.AspNetCore.Http;

namespace CommunityGrid.Api.Endpoints;

/// <summary>GET /houses, /meters, /houses/{id}/statement (docs/api.md "Houses, meters and statements").</summary>
internal static class HouseQueries
{
    /// <summary>The longest period one statement covers (31 days), so one request reads a bounded number of blocks.</summary>
    public const long MaxPeriodSeconds = 31L * 24 * 3600;
    public const int MaxOffsetMinutes = 14 * 60;

    public static IResult Houses(IGatewayBackend backend)
    {
        HousesResponse response = backend.Read(store =>
        {
            StateView view = store.State.View();
            var meters = MetersByHouse(view);
            var houses = new List<HouseJson>();
            string prefix = StateKeys.Member("");
            foreach (KeyValuePair<string, byte[]> member in view.WithPrefix(prefix))
            {
                string houseId = member.Key[prefix.Length..];
                houses.Add(new HouseJson(houseId, Hashes.Hex(StateValues.DecodeBytes(member.Value, "member")), view.Balance(houseId),
                    meters.TryGetValue(houseId, out List<string>? ids) ? ids : []));
            }
            ChainParameters p = view.Parameters;
            return new HousesResponse(houses, p.Currency, p.MinorUnitDigits, store.Height);
        });
        return Results.Json(response, ApiJsonContext.Web.HousesResponse);
    }

    public static IResult Meters(IGatewayBackend backend)
    {
        GatewayMetricsSnapshot metrics = backend.Metrics.Snapshot();
        var lastCommitted = new Dictionary<string, long>();
        foreach (MeterTime t in metrics.LastReadings ?? []) lastCommitted[t.MeterId] = t.UnixSeconds;
        MetersResponse response = backend.Read(store =>
        {
            var meters = new List<MeterJson>();
            string prefix = StateKeys.Meter("");
            foreach (KeyValuePair<string, byte[]> entry in store.State.View().WithPrefix(prefix))
            {
                string meterId = entry.Key[prefix.Length..];
                MeterRecord m = MeterRecord.Decode(entry.Value);
                var rejected = new List<RejectedReadingsJson>();
                foreach (RejectionCount r in metrics.ReadingsRejected)
                {
                    if (r.MeterId == meterId) rejected.Add(new RejectedReadingsJson(r.Reason, r.Count));
                }
                meters.Add(new MeterJson(meterId, m.HouseId, m.Role == MeterRole.Pv ? "pv" : "connection", Hashes.Hex(m.PublicKey),
                    m.LastSequence, m.LastIntervalStart, m.ImportWh, m.ExportWh, m.PvWh,
                    lastCommitted.TryGetValue(meterId, out long at) ? at : null, rejected));
            }
            return new MetersResponse(meters, store.Height);
        });
        return Results.Json(response, ApiJsonContext.Web.MetersResponse);
    }

    public static IResult Statement(IGatewayBackend backend, string houseId, IQueryCollection query)
    {
        if (!Identifiers.IsEntityId(houseId)) return Problems.Bad($"house id '{houseId}' is not valid: ids are {Identifiers.EntityIdRule}");
        if (PeriodQuery(query, out long from, out long to, out int offsetMinutes) is { } bad) return bad;
        string format = query["format"].Count == 0 ? "json" : query["format"].ToString();
        if (format is not ("json" or "csv")) return Problems.Bad($"query parameter 'format' must be json or csv, got '{format}'");

        var built = backend.Read<(StatementResponse? Statement, string? Error)>(store =>
        {
            StateView view = store.State.View();
            if (view.Overlay.Get(StateKeys.Balance(houseId)) is null) return (null, null);
            ChainParameters p = view.Parameters;
            if (PeriodProblem(from, to, p.IntervalSeconds, view.NextInterval, out long start, out long end) is { } wrong) return (null, wrong);
            return (HouseStatement.Build(houseId, start, end, offsetMinutes, p.Currency, p.MinorUnitDigits, p.RetailPrice, p.FeedInPrice,
                store.GetSettlements(start, end), store.Height), null);
        });
        if (built.Error is { } problem) return Problems.Bad(problem);
        if (built.Statement is not { } statement)
        {
            return Problems.Missing($"house '{houseId}' has never been a member of this community; GET /houses lists the houses");
        }
        return format == "csv"
            ? Results.File(Encoding.UTF8.GetBytes(StatementCsv.Render(statement)), StatementCsv.ContentType + "; charset=utf-8",
                $"statement-{houseId}-{statement.From}-{statement.To}.csv")
            : Results.Json(statement, ApiJsonContext.Web.StatementResponse);
    }

    /// <summary>Null when [from, to) is a valid period (defaults: the 24 h before the earliest open interval), else what is wrong.</summary>
    internal static string? PeriodProblem(long from, long to, int intervalSeconds, long nextInterval, out long start, out long end)
    {
        end = to < 0 ? nextInterval : to;
        start = from < 0 ? end - 24 * 3600 : from;
        if (start % intervalSeconds != 0 || end % intervalSeconds != 0)
        {
            return $"'from' and 'to' must be interval starts (multiples of {intervalSeconds} s), got {start} and {end}";
        }
        if (end <= start || end - start > MaxPeriodSeconds)
        {
            return $"the period from {start} to {end} must be longer than 0 and at most {MaxPeriodSeconds} s (31 days); ask for longer periods in pieces";
        }
        return null;
    }

    /// <summary>Parses from, to and offsetMinutes (absent from/to are -1); null when they are well-formed, else the problem.</summary>
    internal static IResult? PeriodQuery(IQueryCollection query, out long from, out long to, out int offsetMinutes)
    {
        offsetMinutes = 0;
        to = -1;
        if (!Parameters.TryQuery(query, "from", -1, 0, long.MaxValue, out from, out string? error)) return Problems.Bad(error!);
        if (!Parameters.TryQuery(query, "to", -1, 0, long.MaxValue, out to, out error)) return Problems.Bad(error!);
        if (!TryOffset(query, out offsetMinutes))
        {
            return Problems.Bad($"query parameter 'offsetMinutes' must be given once, a whole number from -{MaxOffsetMinutes} to {MaxOffsetMinutes} (the local time's minutes east of UTC), got '{query["offsetMinutes"]}'");
        }
        return null;
    }

    private static bool TryOffset(IQueryCollection query, out int minutes)
    {
        minutes = 0;
        if (query["offsetMinutes"].Count == 0) return true;
        return query["offsetMinutes"].Count == 1
            && int.TryParse(query["offsetMinutes"][0], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out minutes)
            && minutes is >= -MaxOffsetMinutes and <= MaxOffsetMinutes;
    }

    private static Dictionary<string, List<string>> MetersByHouse(StateView view)
    {
        var byHouse = new Dictionary<string, List<string>>();
        string prefix = StateKeys.Meter("");
        foreach (KeyValuePair<string, byte[]> entry in view.WithPrefix(prefix))
        {
            string houseId = MeterRecord.Decode(entry.Value).HouseId;
            if (!byHouse.TryGetValue(houseId, out List<string>? ids)) byHouse[houseId] = ids = [];
            ids.Add(entry.Key[prefix.Length..]);
        }
        return byHouse;
    }
}
