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
    public IReadOnlyList<StoredTxBytes> GetTransactionsOfType(TxType type, long afterHeight = 0, int afterIndex = -1, int limit = 100)
    {
        var positions = new List<(byte[] Id, long Height, int Index)>();
        using (SqliteCommand select = Query(
            "SELECT id, height, idx FROM txs WHERE type = $t AND (height > $h OR (height = $h AND idx > $i)) ORDER BY height, idx LIMIT $limit",
            ("$t", (int)type), ("$h", afterHeight), ("$i", afterIndex), ("$limit", limit)))
        using (SqliteDataReader row = select.ExecuteReader())
        {
            while (row.Read()) positions.Add(((byte[])row[0], row.GetInt64(1), row.GetInt32(2)));
        }
        var result = new List<StoredTxBytes>(positions.Count);
        Block? block = null;
        foreach ((byte[] id, long height, int index) in positions)
        {
            if (block?.Height != height) block = GetBlock(height)!.Block;
            result.Add(new StoredTxBytes(id, height, index, block.Header.TimeMs, block.Body.Transactions[index]));
        }
        return result;
    }

    /// <summary>Fund income of the intervals starting after <paramref name="afterIntervalStart"/>, ascending.</summary>
    public IReadOnlyList<FundIncome> GetFundIncome(long afterIntervalStart, int limit = 100)
    {
        var income = new List<FundIncome>();
        using SqliteCommand select = Query(
            "SELECT interval_start, height, result FROM settlements WHERE interval_start > $s ORDER BY interval_start LIMIT $limit",
            ("$s", afterIntervalStart), ("$limit", limit));
        using SqliteDataReader row = select.ExecuteReader();
        while (row.Read())
        {
            SettlementResult result = SettlementResult.Decode((byte[])row[2]);
            income.Add(new FundIncome(row.GetInt64(0), row.GetInt64(1), result.FundIncome, result.Mechanism));
        }
        return income;
    }
}

public sealed record StoredTxBytes(byte[] Id, long Height, int Index, long BlockTimeMs, byte[] Bytes);

public sealed record FundIncome(long IntervalStart, long Height, long Amount, string Mechanism);
