using System;
using System.Collections.Generic;
using CommunityGrid.Chain.Blocks;
using CommunityGrid.Chain.Encoding;
using CommunityGrid.Chain.Genesis;
using CommunityGrid.Chain.Intervals;
using CommunityGrid.Chain.State;
using Microsoft.Data.Sqlite;

namespace CommunityGrid.Storage;

/// <summary>
/// Checks a stored chain on open and returns the tip state. Every finding names the block height (or state key)
/// and what does not hold, so an operator knows which row is bad.
/// </summary>
internal sealed class ChainVerifier(SqliteConnection connection, GenesisDocument genesis, SettlementCatalog catalog)
{
    public ChainState Verify(VerifyMode mode)
    {
        ChainState replayed = ChainState.FromGenesis(genesis, catalog);
        ValidatorSet validators = replayed.Validators;
        byte[] previousHash = replayed.TipHash;
        long previousTime = replayed.TipTimeMs;
        BlockHeader? tip = null;
        long expectedHeight = 1, txCount = 0, settlementCount = 0;

        using SqliteCommand select = Schema.Command(connection, "SELECT height, hash, header, body, commit_sigs FROM blocks ORDER BY height");
        using SqliteDataReader rows = select.ExecuteReader();
        while (rows.Read())
        {
            long height = rows.GetInt64(0);
            if (height != expectedHeight) throw Corrupt($"block {expectedHeight} is missing (the next stored block is {height})");
            Block block = DecodeRow(height, (byte[])rows[1], (byte[])rows[2], (byte[])rows[3], (byte[])rows[4]);
            txCount += block.Body.Transactions.Count;
            settlementCount += block.Body.Settlements.Count;
            if (mode == VerifyMode.Full)
            {
                try
                {
                    replayed.ApplyBlock(block);
                }
                catch (BlockVerificationException e)
                {
                    throw Corrupt($"stored block does not replay: {e.Message}", e);
                }
            }
            else
            {
                CheckHeaderOnly(block, previousHash, previousTime, validators);
            }
            previousHash = block.Header.Hash();
            previousTime = block.Header.TimeMs;
            tip = block.Header;
            expectedHeight++;
        }
        CheckIndexCount("txs", txCount);
        CheckIndexCount("settlements", settlementCount);
        List<StateChange> stored = ReadStateTable();
        if (mode == VerifyMode.Full)
        {
            CompareState(replayed, stored);
            return replayed;
        }
        if (tip is null) return ChainState.FromGenesis(genesis, catalog);
        try
        {
            return ChainState.FromSnapshot(genesis, tip, stored, catalog);
        }
        catch (Exception e) when (e is BlockVerificationException or ChainFormatException)
        {
            throw Corrupt($"state table does not match the tip: {e.Message}", e);
        }
    }

    private static Block DecodeRow(long height, byte[] hash, byte[] header, byte[] body, byte[] commit)
    {
        Block block;
        try
        {
            block = new Block(BlockHeader.Decode(header), BlockBody.Decode(body), Commit.Decode(commit));
        }
        catch (ChainFormatException e)
        {
            throw Corrupt($"block {height}: stored row does not decode: {e.Message}", e);
        }
        if (block.Header.Height != height) throw Corrupt($"block {height}: the header says height {block.Header.Height}");
        byte[] actual = block.Header.Hash();
        if (!Hashes.Equal(actual, hash))
        {
            throw Corrupt($"block {height}: header hashes to {Hashes.Hex(actual)} but the row's hash column says {Hashes.Hex(hash)}; the header row was altered");
        }
        return block;
    }

    private static void CheckHeaderOnly(Block block, byte[] previousHash, long previousTime, ValidatorSet validators)
    {
        BlockHeader h = block.Header;
        if (!Hashes.Equal(h.PreviousHash, previousHash))
        {
            throw Corrupt($"block {h.Height}: previous hash {Hashes.Hex(h.PreviousHash)} does not link to block {h.Height - 1} ({Hashes.Hex(previousHash)})");
        }
        if (h.TimeMs <= previousTime) throw Corrupt($"block {h.Height}: time {h.TimeMs} is not after block {h.Height - 1}'s {previousTime}");
        string? problem = block.Commit.FindProblem(h, validators);
        if (problem is not null) throw Corrupt($"block {h.Height}: {problem}");
        if (!Hashes.Equal(h.TxRoot, block.Body.TxRoot())) throw Corrupt($"block {h.Height}: body does not match the header's transaction root");
        if (!Hashes.Equal(h.SettlementRoot, block.Body.SettlementRoot())) throw Corrupt($"block {h.Height}: body does not match the header's settlement root");
    }

    private void CheckIndexCount(string table, long expected)
    {
        using SqliteCommand count = Schema.Command(connection, $"SELECT COUNT(*) FROM {table}");
        long actual = (long)count.ExecuteScalar()!;
        if (actual != expected) throw Corrupt($"index table '{table}' has {actual} rows, the blocks hold {expected}");
    }

    private List<StateChange> ReadStateTable()
    {
        var entries = new List<StateChange>();
        using SqliteCommand select = Schema.Command(connection, "SELECT key, value FROM state");
        using SqliteDataReader rows = select.ExecuteReader();
        while (rows.Read()) entries.Add(new StateChange(rows.GetString(0), (byte[])rows[1]));
        // SQLite's TEXT order is bytewise (BINARY collation) but sort here anyway: the comparison below relies on it.
        entries.Sort((a, b) => string.CompareOrdinal(a.Key, b.Key));
        return entries;
    }

    private static void CompareState(ChainState replayed, List<StateChange> stored)
    {
        using IEnumerator<KeyValuePair<string, byte[]>> expected = replayed.Entries.Entries().GetEnumerator();
        int i = 0;
        while (true)
        {
            bool hasExpected = expected.MoveNext();
            bool hasStored = i < stored.Count;
            if (!hasExpected && !hasStored) return;
            if (!hasStored) throw Corrupt($"state table lacks key '{expected.Current.Key}' that replaying block {replayed.Height} produces");
            if (!hasExpected) throw Corrupt($"state table has key '{stored[i].Key}' that replaying the chain does not produce");
            StateChange row = stored[i++];
            if (row.Key != expected.Current.Key)
            {
                throw Corrupt($"state table and replayed state differ at key '{row.Key}' vs '{expected.Current.Key}'");
            }
            if (!Hashes.Equal(row.Value!, expected.Current.Value))
            {
                throw Corrupt($"state table value of key '{row.Key}' is {Hashes.Hex(row.Value!)}, replaying the chain to height {replayed.Height} gives {Hashes.Hex(expected.Current.Value)}");
            }
        }
    }

    private static ChainStoreException Corrupt(string problem, Exception? inner = null) =>
        inner is null ? new($"chain store does not verify: {problem}") : new($"chain store does not verify: {problem}", inner);
}
