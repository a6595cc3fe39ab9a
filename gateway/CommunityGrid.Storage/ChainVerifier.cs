using System;
using System.Collections.Generic;
using CommunityGrid.Chain.Blocks;
using CommunityGrid.Chain.Encoding;
using CommunityGrid.Chain.Genesis;
using CommunityGrid.Chain.Intervals;
using CommunityGrid.Chain.State;
using CommunityGrid.Chain.Transactions;
using Microsoft.Data.Sqlite;

namespace CommunityGrid.Storage;

/// <summary>
/// Checks a stored chain on open and returns the tip state. Every finding names the block height (or state key)
/// and what does not hold, so an operator knows which row is bad.
/// </summary>
/// <param name="snapshot">The read transaction every query runs in, so a live gateway's writes do not show up half-way; null outside one.</param>
internal sealed class ChainVerifier(SqliteConnection connection, SqliteTransaction? snapshot, GenesisDocument genesis, SettlementCatalog catalog)
{
    public ChainState Verify(VerifyMode mode)
    {
        ChainState replayed = ChainState.FromGenesis(genesis, catalog);
        ValidatorSet validators = replayed.Validators;
        byte[] previousHash = replayed.TipHash;
        long previousTime = replayed.TipTimeMs;
        Block? tip = null;

        using var indexes = new IndexVerifier(connection, snapshot);
        // Headers mode: a commit signature that block h stores and block h+1 carries is verified once (the replay's state keeps its own).
        var headerPrecommits = new VerifiedPrecommits();
        // A full replay decodes every transaction and verifies its signature: workers do that ahead of it, in parallel,
        // and the replay executes what they decoded.
        IEnumerable<DecodedBlock> stored = mode == VerifyMode.Full
            ? SignaturesAhead.Verified(StoredBlocks(), Math.Max(1, Environment.ProcessorCount - 1))
            : NotDecoded(StoredBlocks());
        foreach ((Block block, IReadOnlyList<Transaction?> decoded) in stored)
        {
            long height = block.Header.Height;
            if (mode == VerifyMode.Full)
            {
                PreparedBlock applied;
                try
                {
                    applied = replayed.ApplyBlock(block, decoded);
                }
                catch (BlockVerificationException e)
                {
                    throw Corrupt($"stored block does not replay: {e.Message}", e);
                }
                catch (Exception e) when (e is ChainFormatException or InvalidOperationException or OverflowException or ArgumentException)
                {
                    // A signed block whose execution fails cannot be part of a valid chain either; name it, no trace.
                    throw Corrupt($"block {height} does not replay: {e.Message}", e);
                }
                indexes.Check(block, applied.Transactions);
            }
            else
            {
                CheckHeaderOnly(block, previousHash, previousTime, tip?.Commit, validators, headerPrecommits);
                indexes.Check(block, IndexVerifier.Decode(block));
                // The full replay links blocks through its state's tip hash; only this mode needs the hash here.
                previousHash = block.Header.Hash();
                previousTime = block.Header.TimeMs;
            }
            tip = block;
        }
        indexes.CheckNothingLeft();
        List<SlottedEntry> state = ReadStateTable();
        if (mode == VerifyMode.Full)
        {
            CompareState(replayed, state);
            return replayed;
        }
        if (tip is null) return ChainState.FromGenesis(genesis, catalog);
        try
        {
            return ChainState.FromSnapshot(genesis, tip.Header, tip.Commit, state, catalog);
        }
        catch (Exception e) when (e is BlockVerificationException or ChainFormatException)
        {
            throw Corrupt($"state table does not match the tip: {e.Message}", e);
        }
    }

    private static IEnumerable<DecodedBlock> NotDecoded(IEnumerable<Block> blocks)
    {
        foreach (Block block in blocks) yield return new DecodedBlock(block, []);
    }

    /// <summary>The stored blocks in height order, each decoded and matched with its row's height and hash; damage throws where it is met.</summary>
    private IEnumerable<Block> StoredBlocks()
    {
        using SqliteCommand select = Schema.Command(connection, "SELECT height, hash, header, body, commit_sigs FROM blocks ORDER BY height", snapshot);
        using SqliteDataReader rows = select.ExecuteReader();
        long expectedHeight = 1;
        while (rows.Read())
        {
            if (rows.GetValue(0) is not long height) throw Corrupt($"table 'blocks': a row after block {expectedHeight - 1} has no integer height");
            if (height != expectedHeight) throw Corrupt($"block {expectedHeight} is missing (the next stored block is {height})");
            yield return DecodeRow(height, Blob(rows, 1, height), Blob(rows, 2, height), Blob(rows, 3, height), Blob(rows, 4, height));
            expectedHeight++;
        }
    }

    private static Block DecodeRow(long height, byte[] hash, byte[] header, byte[] body, byte[] commit)
    {
        Block block;
        try
        {
            block = new Block(BlockHeader.Decode(header), BlockBody.Decode(body), BlockCommits.Decode(commit, "commit"));
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

    /// <param name="previousCommit">the commit stored with the previous block; block h's carried one may be another quorum of the same round's precommits.</param>
    private static void CheckHeaderOnly(Block block, byte[] previousHash, long previousTime, CommunityGrid.Consensus.Messages.CommitCertificate? previousCommit, ValidatorSet validators,
        VerifiedPrecommits precommits)
    {
        BlockHeader h = block.Header;
        if (!Hashes.Equal(h.PreviousHash, previousHash))
        {
            throw Corrupt($"block {h.Height}: previous hash {Hashes.Hex(h.PreviousHash)} does not link to block {h.Height - 1} ({Hashes.Hex(previousHash)})");
        }
        if (h.TimeMs <= previousTime) throw Corrupt($"block {h.Height}: time {h.TimeMs} is not after block {h.Height - 1}'s {previousTime}");
        if (!Hashes.Equal(h.ValidatorSetHash, validators.Hash))
        {
            // The keys of a new set are in the state, which headers-only verification does not replay.
            throw new ChainStoreException($"block {h.Height} changes the validator set; headers-only verification cannot follow a set change: verify the chain in full (replay)");
        }
        string? problem = BlockCommits.FindProblem(block.Commit, h, validators, precommits.Check);
        if (problem is not null) throw Corrupt($"block {h.Height}: {problem}");
        CommunityGrid.Consensus.Messages.CommitCertificate? carried = block.Body.PreviousCommit;
        if (!Hashes.Equal(h.PreviousCommitHash, BlockCommits.PreviousCommitHash(carried)))
        {
            throw Corrupt($"block {h.Height}: previous-commit hash (header field 10) does not match the commit the body carries");
        }
        if ((carried is null) != (previousCommit is null)) throw Corrupt($"block {h.Height}: carries {(carried is null ? "no" : "a")} commit of the block before it, which is wrong at this height");
        if (carried is not null)
        {
            if (carried.Height != h.Height - 1 || !Hashes.Equal(carried.BlockId.ToArray(), previousHash))
            {
                throw Corrupt($"block {h.Height}: the carried commit is not for block {h.Height - 1}");
            }
            CommunityGrid.Consensus.Messages.CertificateCheck check = carried.Verify(h.ChainId, validators.ForConsensus, precommits.Check);
            if (!check.IsValid) throw Corrupt($"block {h.Height}: the carried commit of block {h.Height - 1}: {check.Reason}");
        }
        if (!Hashes.Equal(h.TxRoot, block.Body.TxRoot())) throw Corrupt($"block {h.Height}: body does not match the header's transaction root");
        if (!Hashes.Equal(h.SettlementRoot, block.Body.SettlementRoot())) throw Corrupt($"block {h.Height}: body does not match the header's settlement root");
    }

    /// <summary>A BLOB column of a block row; anything else (e.g. the bytes rewritten as TEXT) is damage, not a cast error.</summary>
    private static byte[] Blob(SqliteDataReader rows, int column, long height) =>
        rows.GetValue(column) as byte[]
        ?? throw Corrupt($"block {height}: column '{rows.GetName(column)}' holds {StorageClass(rows.GetValue(column))} instead of the stored bytes; the row was altered");

    private List<SlottedEntry> ReadStateTable()
    {
        var entries = new List<SlottedEntry>();
        using SqliteCommand select = Schema.Command(connection, "SELECT key, value, slot FROM state", snapshot);
        using SqliteDataReader rows = select.ExecuteReader();
        while (rows.Read())
        {
            if (rows.GetValue(0) is not string key || rows.GetValue(1) is not byte[] value || rows.GetValue(2) is not long slot)
            {
                throw Corrupt($"state table: a row holds {StorageClass(rows.GetValue(0))} / {StorageClass(rows.GetValue(1))} / {StorageClass(rows.GetValue(2))} instead of a text key, a value's bytes and an integer slot; the row was altered");
            }
            if (slot is < 0 or >= IncrementalStateTree.MaxSlots) throw Corrupt($"state table: key '{key}' has slot {slot}, outside 0..{IncrementalStateTree.MaxSlots - 1}; the row was altered");
            entries.Add(new SlottedEntry(key, value, (int)slot));
        }
        // SQLite's TEXT order is bytewise (BINARY collation) but sort here anyway: the comparison below relies on it.
        entries.Sort((a, b) => string.CompareOrdinal(a.Key, b.Key));
        return entries;
    }

    private static void CompareState(ChainState replayed, List<SlottedEntry> stored)
    {
        using IEnumerator<SlottedEntry> expected = replayed.SlottedEntries().GetEnumerator();
        int i = 0;
        while (true)
        {
            bool hasExpected = expected.MoveNext();
            bool hasStored = i < stored.Count;
            if (!hasExpected && !hasStored) return;
            if (!hasStored) throw Corrupt($"state table lacks key '{expected.Current.Key}' that replaying block {replayed.Height} produces");
            if (!hasExpected) throw Corrupt($"state table has key '{stored[i].Key}' that replaying the chain does not produce");
            SlottedEntry row = stored[i++];
            if (row.Key != expected.Current.Key)
            {
                throw Corrupt($"state table and replayed state differ at key '{row.Key}' vs '{expected.Current.Key}'");
            }
            if (!Hashes.Equal(row.Value, expected.Current.Value))
            {
                throw Corrupt($"state table value of key '{row.Key}' is {Hashes.Hex(row.Value)}, replaying the chain to height {replayed.Height} gives {Hashes.Hex(expected.Current.Value)}");
            }
            if (row.Slot != expected.Current.Slot)
            {
                throw Corrupt($"state table slot of key '{row.Key}' is {row.Slot}, replaying the chain to height {replayed.Height} gives {expected.Current.Slot}");
            }
        }
    }

    /// <summary>SQLite's storage class of a value as read, for messages.</summary>
    internal static string StorageClass(object value) => value switch
    {
        byte[] => "a BLOB",
        string => "TEXT",
        long => "an INTEGER",
        double => "a REAL",
        _ => "NULL",
    };

    internal static ChainStoreException Corrupt(string problem, Exception? inner = null) =>
        inner is null ? new($"chain store does not verify: {problem}") : new($"chain store does not verify: {problem}", inner);
}
