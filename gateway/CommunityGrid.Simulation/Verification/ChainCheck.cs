using System;
using System.Collections.Generic;
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
/// What <c>cgrid verify</c> does: opens DIR/chain.sqlite read-only with the genesis file (DIR/genesis.json unless given) in ChainStore's Full mode, which
/// replays every block from genesis — commit signatures, every transaction's signature and rules, every interval's
/// settlement recomputed byte for byte, the state root of every header — and compares the resulting state with the
/// stored one.
/// </summary>
public static class ChainCheck
{
    /// <param name="genesisPath">The community's genesis file; null: <c>genesis.json</c> inside the directory (as <c>cgrid simulate</c> writes it).</param>
    public static ChainVerdict Verify(string dataDirectory, string? genesisPath = null)
    {
        bool genesisGiven = genesisPath is not null;
        genesisPath ??= Path.Combine(dataDirectory, SimulationOptions.GenesisFileName);
        string chainPath = Path.Combine(dataDirectory, SimulationOptions.ChainFileName);
        if (!File.Exists(genesisPath))
        {
            return new(false, false, genesisGiven
                ? $"{genesisPath} not found; --genesis names the community's genesis file"
                : $"{genesisPath} not found; give the community's genesis file with --genesis FILE (a gateway keeps it outside its data directory)");
        }
        if (!Directory.Exists(dataDirectory)) return new(false, false, $"{dataDirectory} is not a directory; --data names a gateway's data directory or a `cgrid simulate` output");
        GenesisDocument genesis;
        try
        {
            genesis = GenesisFile.Load(genesisPath);
        }
        catch (Exception e) when (e is GenesisException or IOException or UnauthorizedAccessException)
        {
            return new(false, false, $"{genesisPath}: {e.Message}");
        }
        var timer = Stopwatch.StartNew();
        try
        {
            // Read-only: verifying must never change the file, and must work beside a running gateway (WAL).
            using ChainStore store = ChainStore.OpenReadOnly(chainPath, genesis, VerifyMode.Full);
            return new(true, true, $"chain verified: {store.Height} blocks replayed from genesis; every signature, block, index row and interval settlement checks out",
                store.Height, Hashes.Hex(store.State.TipHash), Hashes.Hex(store.State.StateRoot), timer.Elapsed);
        }
        catch (ChainStoreException e)
        {
            return new(false, true, e.Message, Elapsed: timer.Elapsed);
        }
        catch (Exception e) when (e is GenesisException or IOException or UnauthorizedAccessException)
        {
            return new(false, true, $"chain does not verify: {e.Message}", Elapsed: timer.Elapsed);
        }
    }

    /// <summary>Several gateways: the same check on every gateway's store, OUTPUT/gateways/g1, g2, … with OUTPUT/genesis.json.</summary>
    public static IReadOnlyList<ChainVerdict> VerifyGateways(string outputDirectory, int gateways)
    {
        string genesisPath = Path.Combine(outputDirectory, SimulationOptions.GenesisFileName);
        var verdicts = new ChainVerdict[gateways];
        // Independent read-only replays: side by side on the cores there are.
        System.Threading.Tasks.Parallel.For(0, gateways, i =>
            verdicts[i] = Verify(Path.Combine(outputDirectory, SimulationOptions.GatewaysDirectoryName, $"g{i + 1}"), genesisPath));
        return verdicts;
    }
}
