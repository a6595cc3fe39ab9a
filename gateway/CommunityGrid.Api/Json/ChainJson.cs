using System;
using System.Collections.Generic;
using CommunityGrid.Chain.Blocks;
using CommunityGrid.Chain.Encoding;
using CommunityGrid.Chain.Intervals;
using CommunityGrid.Chain.Transactions;
using CommunityGrid.Formats.Readings;

namespace CommunityGrid.Api.Json;

/// <summary>Turns chain structures into their JSON bodies.</summary>
public static class ChainJson
{
    public static BlockHeaderJson Header(BlockHeader h) => new(
        h.ChainId, h.Height, h.TimeMs, Hashes.Hex(h.PreviousHash), Hashes.Hex(h.TxRoot), Hashes.Hex(h.StateRoot),
        Hashes.Hex(h.SettlementRoot), Hashes.Hex(h.ValidatorSetHash), Hashes.Hex(h.Proposer));

    public static SettlementJson Settlement(SettlementResult s)
    {
        var houses = new List<HouseSettlementJson>(s.Houses.Count);
        foreach (HouseSettlement h in s.Houses)
        {
            houses.Add(new HouseSettlementJson(h.HouseId, h.ImportWh, h.ExportWh, h.ImportInternalWh, h.ExportInternalWh, h.Cost, h.Revenue, h.Net));
        }
        return new SettlementJson(s.IntervalStart, s.IntervalSeconds, s.Mechanism, houses, s.GridImportWh, s.GridExportWh,
            s.GridCost, s.GridRevenue, s.FundIncome, s.InternalWh, s.InternalPriceMicros);
    }

    public static BlockResponse Block(Block block, byte[] hash)
    {
        var txIds = new List<string>(block.Body.Transactions.Count);
        foreach (byte[] tx in block.Body.Transactions) txIds.Add(Hashes.Hex(Hashes.Sha256(tx)));
        var settlements = new List<SettlementJson>(block.Body.Settlements.Count);
        foreach (SettlementResult s in block.Body.Settlements) settlements.Add(Settlement(s));
        var commit = new List<CommitSignatureJson>(block.Commit.Signatures.Count);
        foreach (CommitSignature c in block.Commit.Signatures) commit.Add(new CommitSignatureJson(Hashes.Hex(c.ValidatorKey), Hashes.Hex(c.Signature)));
        return new BlockResponse(block.Height, Hashes.Hex(hash), Header(block.Header), Hashes.Hex(block.Header.Encode()), txIds, settlements, commit);
    }

    /// <summary>The wire name of a type, as in its content type (<c>enrol-meter</c>, …).</summary>
    public static string TypeName(TxType type) => type switch
    {
        TxType.Reading => "reading",
        TxType.EnrolMeter => "enrol-meter",
        TxType.AdmitMember => "admit-member",
        TxType.Payment => "payment",
        TxType.Proposal => "proposal",
        TxType.Vote => "vote",
        TxType.Split => "split",
        TxType.Statement => "statement",
        TxType.FundPayout => "fund-payout",
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "no such transaction type"),
    };

    public static IReadOnlyList<string> HexList(byte[][] hashes) => Array.ConvertAll(hashes, h => Hashes.Hex(h));

    /// <summary>A committed transaction with its decoded content; <paramref name="tx"/> decodes, since its block verified.</summary>
    public static TransactionResponse Transaction(Transaction tx, long height, int index, int txCount, byte[][] proof, BlockHeader header)
    {
        var response = new TransactionResponse(tx.IdHex, TypeName(tx.Type), (int)tx.Type, Hashes.Hex(tx.Signer), Hashes.Hex(tx.Bytes),
            height, index, Hashes.Hex(header.Hash()), new InclusionProofJson(index, txCount, HexList(proof), Hashes.Hex(header.TxRoot)));
        return tx.Reading is { } r ? response with { Reading = Reading(r) } : tx.Admin switch
        {
            EnrolMeterPayload e => response with { EnrolMeter = new EnrolMeterSummary(e.ChainId, e.Nonce, e.MeterId, Hashes.Hex(e.MeterKey), e.HouseId,
                e.Role == MeterRole.Pv ? "pv" : "connection", e.InitialImportWh, e.InitialExportWh, e.InitialPvWh) },
            AdmitMemberPayload a => response with { AdmitMember = new AdmitMemberSummary(a.ChainId, a.Nonce, a.HouseId, Hashes.Hex(a.MemberKey)) },
            PaymentPayload p => response with { Payment = new PaymentSummary(p.ChainId, p.Nonce, p.HouseId,
                p.Kind == PaymentKind.Deposit ? "deposit" : "payout", p.Amount, p.Reference) },
            _ => response,
        };
    }

    private static ReadingSummary Reading(MeterReading r) => new(
        r.ChainId, r.MeterId, r.Sequence, r.IntervalStart, r.IntervalLengthSeconds, r.ImportWh, r.ExportWh, r.PvWh, r.FirmwareVersion);
}
