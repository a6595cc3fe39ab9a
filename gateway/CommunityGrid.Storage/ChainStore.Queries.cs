using System;
using System.Collections.Generic;
using CommunityGrid.Chain.Blocks;
using CommunityGrid.Chain.Encoding;
using CommunityGrid.Chain.Intervals;
using CommunityGrid.Chain.State;
using CommunityGrid.Chain.Transactions;
using Microsoft.Data.Sqlite;

namespace CommunityGrid.Storage;

/// <summary>
/// The reads the HTTP API needs. The index tables only say where to look (height and position); what is served
/// comes from the stored block, i.e. from the bytes the signatures and the header's roots cover, and an index row
/// that does not lead to matching signed data is treated as absent (issue 11 case 6).
/// </summary>
public sealed partial class ChainStore
{
    public StoredBlock? GetBlock(long height)
    {
        using SqliteCommand select = Query("SELECT hash, header, body, commit_sigs FROM blocks WHERE height = $h", ("$h", height));
        using SqliteDataReader row = select.ExecuteReader();
        if (!row.Read()) return null;
        try
        {
            var block = new Block(BlockHeader.Decode(Bytes(row, 1, height)), BlockBody.Decode(Bytes(row, 2, height)), BlockCommits.Decode(Bytes(row, 3, height), "commit"));
            return new StoredBlock(block, Bytes(row, 0, height));
        }
        catch (ChainFormatException e)
        {
            throw new ChainStoreException($"block {height} in the database does not decode ({e.Message}); the file is damaged: stop the gateway and run `cgrid verify`", e);
        }
    }

    public BlockHeader? TipHeader => Height == 0 ? null : GetBlock(Height)!.Block.Header;

    /// <summary>The transaction with SHA-256 <paramref name="id"/> and its inclusion proof against its block's transaction root.</summary>
    public StoredTransaction? GetTransaction(byte[] id)
    {
        ArgumentNullException.ThrowIfNull(id);
        if (id.Length != Hashes.Sha256(Array.Empty<byte>()).Length) return null;
        // The index keys transactions by the first bytes of their ids: the candidates are told apart by hashing their bytes.
        var candidates = new List<(long Height, int Index)>();
        using (SqliteCommand select = Query("SELECT height, idx FROM txs WHERE id_prefix = $p ORDER BY height, idx", ("$p", Schema.IdPrefix(id))))
        using (SqliteDataReader row = select.ExecuteReader())
        {
            while (row.Read())
            {
                if (row.GetValue(0) is long h && row.GetValue(1) is long i) candidates.Add((h, (int)i));
            }
        }
        foreach ((long height, int index) in candidates)
        {
            Block? block = GetBlock(height)?.Block;
            if (block is null || index < 0 || index >= block.Body.Transactions.Count) continue;
            byte[] bytes = block.Body.Transactions[index];
            if (!Hashes.Equal(Hashes.Sha256(bytes), id)) continue;
            Transaction tx = Transaction.Decode(bytes);
            return new StoredTransaction(id, height, index, tx.Type, bytes, block.Body.Transactions.Count, block.Body.TxInclusionProof(index), block.Header);
        }
        return null;
    }

    /// <summary>
    /// A meter's readings with sequence above <paramref name="afterSequence"/>, ascending, at most <paramref name="limit"/>,
    /// with every value decoded from the signed reading in its block.
    /// </summary>
    public IReadOnlyList<StoredReading> GetReadings(string meterId, long afterSequence = 0, int limit = 100)
    {
        var located = new List<(long Height, int Index)>();
        using (SqliteCommand select = Query(
            "SELECT height, idx FROM " + Schema.ReadingsWithMeterIds + " WHERE meter_id = $m AND sequence > $after ORDER BY sequence LIMIT $limit",
            ("$m", meterId), ("$after", afterSequence), ("$limit", limit)))
        using (SqliteDataReader row = select.ExecuteReader())
        {
            while (row.Read())
            {
                if (row.GetValue(0) is long height && row.GetValue(1) is long index) located.Add((height, (int)index));
            }
        }
        var readings = new List<StoredReading>(located.Count);
        var blocks = new Dictionary<long, Block?>();
        foreach ((long height, int index) in located)
        {
            if (!blocks.TryGetValue(height, out Block? block)) blocks[height] = block = GetBlock(height)?.Block;
            if (block is null || index < 0 || index >= block.Body.Transactions.Count) continue;
            byte[] bytes = block.Body.Transactions[index];
            if (Transaction.TryDecode(bytes, out _) is not { Reading: { } r } tx) continue;
            if (r.MeterId != meterId || r.Sequence <= afterSequence) continue;
            readings.Add(new StoredReading(r.MeterId, r.Sequence, r.IntervalStart, r.ImportWh, r.ExportWh, r.PvWh, tx.Id, height, index));
        }
        readings.Sort((a, b) => a.Sequence.CompareTo(b.Sequence));
        return readings;
    }

    /// <summary>
    /// Whether the committed reading of <paramref name="meterId"/> with <paramref name="sequence"/> is the transaction
    /// <paramref name="txId"/>: the <c>readings</c> index says where it is, the signed bytes in that block decide.
    /// </summary>
    public bool Holds(string meterId, long sequence, byte[] txId)
    {
        ArgumentNullException.ThrowIfNull(txId);
        long height;
        int index;
        using (SqliteCommand select = Query("SELECT height, idx FROM " + Schema.ReadingsWithMeterIds + " WHERE meter_id = $m AND sequence = $s", ("$m", meterId), ("$s", sequence)))
        using (SqliteDataReader row = select.ExecuteReader())
        {
            if (!row.Read() || row.GetValue(0) is not long h || row.GetValue(1) is not long i) return false;
            (height, index) = (h, (int)i);
        }
        using (SqliteCommand select = Query("SELECT body FROM blocks WHERE height = $h", ("$h", height)))
        using (SqliteDataReader row = select.ExecuteReader())
        {
            if (!row.Read()) return false;
            BlockBody body;
            try
            {
                body = BlockBody.Decode(Bytes(row, 0, height));
            }
            catch (ChainFormatException e)
            {
                throw new ChainStoreException($"block {height} in the database does not decode ({e.Message}); the file is damaged: stop the gateway and run `cgrid verify`", e);
            }
            return index >= 0 && index < body.Transactions.Count && Hashes.Equal(Hashes.Sha256(body.Transactions[index]), txId);
        }
    }

    /// <summary>A house's balance at the tip with its proof against the tip header's state root; null for an unknown house or before block 1.</summary>
    public BalanceWithProof? GetBalance(string houseId)
    {
        BlockHeader? tip = TipHeader;
        StateProof? proof = State.Prove(StateKeys.Balance(houseId));
        if (tip is null || proof is null) return null;
        return new BalanceWithProof(houseId, StateValues.DecodeInt(proof.Value, "balance"), proof, tip);
    }

    /// <summary>An interval's settlement as recorded in the block that closed it.</summary>
    public StoredSettlement? GetSettlement(long intervalStart)
    {
        long height;
        using (SqliteCommand select = Query("SELECT height FROM settlements WHERE interval_start = $s", ("$s", intervalStart)))
        {
            if (select.ExecuteScalar() is not long h) return null;
            height = h;
        }
        Block? block = GetBlock(height)?.Block;
        if (block is null) return null;
        foreach (SettlementResult result in block.Body.Settlements)
        {
            if (result.IntervalStart == intervalStart) return new StoredSettlement(result, height);
        }
        return null;
    }

    /// <summary>
    /// Every meter with a committed reading and the time of the block that committed its latest one, by meter id: what
    /// the gateway's per-meter last-reading gauge starts from, so a restart does not make every meter look silent.
    /// </summary>
    public IReadOnlyList<MeterLastReading> LastReadingTimes()
    {
        var latest = new List<(string MeterId, long Height)>();
        using (SqliteCommand select = Query("SELECT meter_id, MAX(height) FROM " + Schema.ReadingsWithMeterIds + " GROUP BY meter_id ORDER BY meter_id"))
        using (SqliteDataReader row = select.ExecuteReader())
        {
            while (row.Read())
            {
                if (row.GetValue(0) is string meter && row.GetValue(1) is long height) latest.Add((meter, height));
            }
        }
        var times = new List<MeterLastReading>(latest.Count);
        var headerTimes = new Dictionary<long, long>();
        foreach ((string meter, long height) in latest)
        {
            if (!headerTimes.TryGetValue(height, out long timeMs))
            {
                using SqliteCommand select = Query("SELECT header FROM blocks WHERE height = $h", ("$h", height));
                using SqliteDataReader row = select.ExecuteReader();
                if (!row.Read()) continue;
                headerTimes[height] = timeMs = DecodeHeader(Bytes(row, 0, height), height).TimeMs;
            }
            times.Add(new MeterLastReading(meter, timeMs, height));
        }
        return times;
    }

    private static BlockHeader DecodeHeader(byte[] bytes, long height)
    {
        try
        {
            return BlockHeader.Decode(bytes);
        }
        catch (ChainFormatException e)
        {
            throw new ChainStoreException($"block {height} in the database does not decode ({e.Message}); the file is damaged: stop the gateway and run `cgrid verify`", e);
        }
    }

    /// <summary>
    /// The settlements of the intervals starting in [<paramref name="fromStart"/>, <paramref name="toStart"/>), ascending,
    /// each read from the block that closed it (the index only says which block).
    /// </summary>
    public IReadOnlyList<StoredSettlement> GetSettlements(long fromStart, long toStart) => SettlementsLocatedBy(
        "SELECT interval_start, height FROM settlements WHERE interval_start >= $from AND interval_start < $to ORDER BY interval_start",
        ("$from", fromStart), ("$to", toStart));

    private IReadOnlyList<StoredSettlement> GetSettlementsAfter(long afterIntervalStart, int limit) => SettlementsLocatedBy(
        "SELECT interval_start, height FROM settlements WHERE interval_start > $s ORDER BY interval_start LIMIT $limit",
        ("$s", afterIntervalStart), ("$limit", limit));

    /// <param name="sql">selects (interval start, height) rows of the settlements index, ascending.</param>
    private IReadOnlyList<StoredSettlement> SettlementsLocatedBy(string sql, params (string Name, object Value)[] parameters)
    {
        var located = new List<(long Start, long Height)>();
        using (SqliteCommand select = Query(sql, parameters))
        using (SqliteDataReader row = select.ExecuteReader())
        {
            while (row.Read())
            {
                if (row.GetValue(0) is long start && row.GetValue(1) is long height) located.Add((start, height));
            }
        }
        var results = new List<StoredSettlement>(located.Count);
        var blocks = new Dictionary<long, Block?>();
        foreach ((long start, long height) in located)
        {
            if (!blocks.TryGetValue(height, out Block? block)) blocks[height] = block = GetBlock(height)?.Block;
            if (block is null) continue;
            foreach (SettlementResult result in block.Body.Settlements)
            {
                if (result.IntervalStart == start) results.Add(new StoredSettlement(result, height));
            }
        }
        return results;
    }

    private static byte[] Bytes(SqliteDataReader row, int column, long height) =>
        row.GetValue(column) as byte[]
        ?? throw new ChainStoreException($"block {height}: column '{row.GetName(column)}' holds {ChainVerifier.StorageClass(row.GetValue(column))} instead of the stored bytes; the file is damaged: stop the gateway and run `cgrid verify`");

    private SqliteCommand Query(string sql, params (string Name, object Value)[] parameters)
    {
        SqliteCommand command = Schema.Command(connection, sql);
        foreach ((string name, object value) in parameters) command.Parameters.AddWithValue(name, value);
        return command;
    }
}
