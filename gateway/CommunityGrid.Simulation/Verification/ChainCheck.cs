using System;
using System.Diagnostics;
using System.IO;
using CommunityGrid.Chain.Encoding;
using CommunityGrid.Chain.Genesis;
using CommunityGrid.Simulation.Pipeline;
using CommunityGrid.Storage;

namespace CommunityGrid.Simulation.Verification;

/// <summary>The outcome of replaying a data directory's chain from genesis.</summary>
/// <param name="Usable">False when the directory could not be read at all (no genesis, unreadable file): bad input rather than a bad chain.</param>
public sealed record ChainVerdict(bool Valid, bool Usable, string Message, long Height = 0, string? TipHash = null, string? StateRoot = null, TimeSpan Elapsed = default);

/// <summary>
/// What <c>cgrid verify</c> does: opens DIR/chain.sqlite with DIR/genesis.json in ChainStore's Full mode, which
/// replays every block from genesis — commit signatures, every transaction's signature and rules, every interval's
/// settlement recomputed byte for byte, the state root of every header — and compares the resulting state with the
/// stored one.
/// </summary>
public static class ChainCheck
{
    public static ChainVerdict Verify(string dataDirectory)
    {
        string genesisPath = Path.Combine(dataDirectory, SimulationOptions.GenesisFileName);
        string chainPath = Path.Combine(dataDirectory, SimulationOptions.ChainFileName);
        if (!File.Exists(genesisPath)) return new(false, false, $"{genesisPath} not found; --data must be a directory written by `cgrid simulate` (genesis.json and {SimulationOptions.ChainFileName})");
        if (!File.Exists(chainPath)) return new(false, false, $"{chainPath} not found; --data must hold the chain database");
        GenesisDocument genesis;
        try
        {
            genesis = GenesisFile.Load(genesisPath);
        }
        catch (Exception e) when (e is GenesisException or IOException)
        {
            return new(false, false, $"{genesisPath}: {e.Message}");
        }
        var timer = Stopwatch.StartNew();
        try
        {
            using ChainStore store = ChainStore.Open(chainPath, genesis, VerifyMode.Full);
            return new(true, true, $"chain verified: {store.Height} blocks replayed from genesis; every signature, block and interval settlement checks out",
                store.Height, Hashes.Hex(store.State.TipHash), Hashes.Hex(store.State.StateRoot), timer.Elapsed);
        }
        catch (ChainStoreException e)
        {
            return new(false, true, e.Message, Elapsed: timer.Elapsed);
        }
        catch (Exception e) when (e is Microsoft.Data.Sqlite.SqliteException or GenesisException)
        {
            return new(false, true, $"chain does not verify: {e.Message}", Elapsed: timer.Elapsed);
        }
    }
}
