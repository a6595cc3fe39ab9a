using System;
using System.Collections.Generic;
using CommunityGrid.Chain.Blocks;
using CommunityGrid.Chain.Intervals;
using CommunityGrid.Chain.Transactions;
using Microsoft.Data.Sqlite;

namespace CommunityGrid.Storage;

/// <summary>The reads governance needs: transactions of one type (statements, fund payouts) and the fund's income per interval.</summary>
public sealed partial class ChainStore
{
    /// <summary>Committed transactions of <paramref name="type"/> after position (<paramref name="afterHeight"/>, <paramref name="afterIndex"/>), in chain order.</summary>
    /// <exception cref="ArgumentException"><paramref name="type"/> is <see cref="TxType.Reading"/>: readings are listed per meter (<see cref="GetReadings"/>).</exception>
    public IReadOnlyList<StoredTxBytes> GetTransactionsOfType(TxType type, long afterHeight = 0, int afterIndex = -1, int limit = 100)
    {
        if (type == TxType.Reading) throw new ArgumentException($"readings are indexed per meter, not by type: use {nameof(GetReadings)}", nameof(type));
        var positions = new List<(long Height, int Index)>();
        using (SqliteCommand select = Query(
            "SELECT height, idx FROM typed_txs WHERE type = $t AND (height > $h OR (height = $h AND idx > $i)) ORDER BY height, idx LIMIT $limit",
            ("$t", (int)type), ("$h", afterHeight), ("$i", afterIndex), ("$limit", limit)))
        using (SqliteDataReader row = select.ExecuteReader())
        {
            while (row.Read()) positions.Add((row.GetInt64(0), row.GetInt32(1)));
        }
        var result = new List<StoredTxBytes>(positions.Count);
        Block? block = null;
        foreach ((long height, int index) in positions)
        {
            if (block?.Height != height) block = GetBlock(height)?.Block;
            if (block is null || index < 0 || index >= block.Body.Transactions.Count) continue;
            byte[] bytes = block.Body.Transactions[index];
            // An index row that does not lead to a transaction of the type asked for is treated as absent (issue 11 case 6).
            if (Transaction.TryDecode(bytes, out _) is not { } tx || tx.Type != type) continue;
            result.Add(new StoredTxBytes(tx.Id, height, index, block.Header.TimeMs, bytes));
        }
        return result;
    }

    /// <summary>Fund income of the intervals starting after <paramref name="afterIntervalStart"/>, ascending, read from the blocks that closed them.</summary>
    public IReadOnlyList<FundIncome> GetFundIncome(long afterIntervalStart, int limit = 100)
    {
        var income = new List<FundIncome>();
        foreach (StoredSettlement s in GetSettlementsAfter(afterIntervalStart, limit))
        {
            income.Add(new FundIncome(s.Result.IntervalStart, s.Height, s.Result.FundIncome, s.Result.Mechanism));
        }
        return income;
    }
}

public sealed record StoredTxBytes(byte[] Id, long Height, int Index, long BlockTimeMs, byte[] Bytes);

public sealed record FundIncome(long IntervalStart, long Height, long Amount, string Mechanism);
