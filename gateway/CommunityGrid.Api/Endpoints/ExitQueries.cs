using System.Collections.Generic;
using CommunityGrid.Api.Json;
using CommunityGrid.Chain.Breakaway;
using CommunityGrid.Chain.Encoding;
using CommunityGrid.Chain.State;
using CommunityGrid.Chain.Transactions;
using Microsoft.AspNetCore.Http;

namespace CommunityGrid.Api.Endpoints;

/// <summary>GET /houses/{id}/exit.</summary>
internal static class ExitQueries
{
    public static IResult Exit(IGatewayBackend backend, string houseId)
    {
        if (!Identifiers.IsEntityId(houseId)) return Problems.Bad($"house id '{houseId}' is not valid: ids are {Identifiers.EntityIdRule}");
        ExitResponse? response = backend.Read(store =>
        {
            ChainState state = store.State;
            if (state.Prove(ExitKeys.Exit(houseId)) is not { } proof) return null;
            StateView view = state.View();
            ExitRecord record = ExitRecord.Decode(proof.Value);
            ChainParameters p = view.Parameters;
            bool final = record.Status == ExitStatus.Final;
            long settled = view.ExitSettled(houseId);
            long open = final ? record.Owed - settled : 0;
            var meters = new List<ExitMeterJson>(record.Meters.Count);
            foreach (ExitMeter m in record.Meters)
            {
                meters.Add(new ExitMeterJson(m.MeterId, Hashes.Hex(m.Meter.PublicKey), m.Meter.Role == MeterRole.Pv ? "pv" : "connection",
                    m.Meter.LastSequence, m.Meter.LastIntervalStart, m.Meter.ImportWh, m.Meter.ExportWh, m.Meter.PvWh));
            }
            string status = !final ? "announced" : open == 0 ? "closed" : "final";
            return new ExitResponse(houseId, record.NewChainId, record.ExitIntervalStart, status, Hashes.Hex(record.ExitTxId), Hashes.Hex(record.MemberKey),
                record.FinalBalance, record.FundShare, final ? record.Owed : 0, settled, open, p.Currency, p.MinorUnitDigits, meters,
                Hashes.Hex(record.Hash()), state.Height, Hashes.Hex(state.TipHash), Hashes.Hex(state.StateRoot),
                new StateProofJson(proof.Key, Hashes.Hex(proof.Value), Hashes.Hex(proof.Leaf), proof.Index, proof.TreeSize, ChainJson.HexList(proof.Path)));
        });
        return response is null
            ? Problems.Missing($"house '{houseId}' has not signed an exit on this chain; a leaving house signs one with `cgrid exit leave`")
            : Results.Json(response, ApiJsonContext.Web.ExitResponse);
    }
}
