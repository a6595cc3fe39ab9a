using System.Collections.Generic;
using CommunityGrid.Chain.Blocks;
using CommunityGrid.Chain.Intervals;
using CommunityGrid.Chain.State;
using CommunityGrid.Chain.Transactions;
using Microsoft.Data.Sqlite;

namespace CommunityGrid.Storage;

/// <summary>The reads the HTTP API needs.</summary>
public sealed partial class ChainStore
{
    public StoredBlock? GetBlock(long height)
    {
        using SqliteCommand select = Query("SELECT hash, header, body, commit_sigs FROM blocks WHERE height = $h", ("$h", height));
        using SqliteDataReader row = select.ExecuteReader();
        if (!row.Read()) return null;
        var block = new Block(BlockHeader.Decode((byte[])row[1]), BlockBody.Decode((byte[])row[2]), Commit.Decode((byte[])row[3]));
        return new StoredBlock(block, (byte[])row[0]);
    }

    public BlockHeader? TipHeader => Height == 0 ? null : GetBlock(Height)!.Block.Header;

    /// <summary>The transaction with SHA-256 <paramref name="id"/> and its inclusion proof against its block's transaction root.</summary>
    public StoredTransaction? GetTransaction(byte[] id)
    {
        long height;
        int index;
        TxType type;
        using (SqliteCommand select = Query("SELECT height, idx, type FROM txs WHERE id = $id", ("$id", id)))
        using (SqliteDataReader row = select.ExecuteReader())
        {
            if (!row.Read()) return null;
            (height, index, type) = (row.GetInt64(0), row.GetInt32(1), (TxType)row.GetInt32(2));
        }
        Block block = GetBlock(height)!.Block;
        return new StoredTransaction(id, height, index, type, block.Body.Transactions[index], block.Body.Transactions.Count,
            block.Body.TxInclusionProof(index), block.Header);
    }

    /// <summary>A meter's readings with sequence above <paramref name="afterSequence"/>, ascending, at most <paramref name="limit"/>.</summary>
    public IReadOnlyList<StoredReading> GetReadings(string meterId, long afterSequence = 0, int limit = 100)
    {
        var readings = new List<StoredReading>();
        using SqliteCommand select = Query(
            "SELECT sequence, interval_start, import_wh, export_wh, pv_wh, tx_id, height, idx FROM readings WHERE meter_id = $m AND sequence > $after ORDER BY sequence LIMIT $limit",
            ("$m", meterId), ("$after", afterSequence), ("$limit", limit));
        using SqliteDataReader row = select.ExecuteReader();
        while (row.Read())
        {
            readings.Add(new StoredReading(meterId, row.GetInt64(0), row.GetInt64(1), row.GetInt64(2), row.GetInt64(3), row.GetInt64(4),
                (byte[])row[5], row.GetInt64(6), row.GetInt32(7)));
        }
        return readings;
    }

    /// <summary>A house's balance at the tip with its proof against the tip header's state root; null for an unknown house or before block 1.</summary>
    public BalanceWithProof? GetBalance(string houseId)
    {
        BlockHeader? tip = TipHeader;
        StateProof? proof = State.Prove(StateKeys.Balance(houseId));
        if (tip is null || proof is null) return null;
        return new BalanceWithProof(houseId, StateValues.DecodeInt(proof.Value, "balance"), proof, tip);
    }

    public StoredSettlement? GetSettlement(long intervalStart)
    {
        using SqliteCommand select = Query("SELECT height, result FROM settlements WHERE interval_start = $s", ("$s", intervalStart));
        using SqliteDataReader row = select.ExecuteReader();
        return row.Read() ? new StoredSettlement(SettlementResult.Decode((byte[])row[1]), row.GetInt64(0)) : null;
    }

    private SqliteCommand Query(string sql, params (string Name, object Value)[] parameters)
    {
        SqliteCommand command = Schema.Command(connection, sql);
        foreach ((string name, object value) in parameters) command.Parameters.AddWithValue(name, value);
        return command;
    }
}
