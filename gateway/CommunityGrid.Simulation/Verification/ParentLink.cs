using System;
using System.Collections.Generic;
using System.IO;
using CommunityGrid.Chain.Blocks;
using CommunityGrid.Chain.Breakaway;
using CommunityGrid.Chain.Genesis;
using CommunityGrid.Chain.Intervals;
using CommunityGrid.Simulation.Pipeline;
using CommunityGrid.Storage;

namespace CommunityGrid.Simulation.Verification;

/// <summary>The parent chain's data could not be read (bad input, not a failed check).</summary>
public sealed class ParentDataException(string message) : Exception(message);

/// <summary>
/// The split between an old chain and a new one started from its exit records (docs/breakaway.md §4): building the
/// new genesis from the old chain's data directory, and checking a split genesis against it. The old chain is opened
/// read-only and verified in full first, so nothing is built from, or checked against, a chain that does not hold.
/// </summary>
public static class ParentLink
{
    /// <summary>The new community's genesis from the exits to <paramref name="newChainId"/> recorded in the parent's data.</summary>
    public static GenesisDocument BuildSplit(string parentData, string? parentGenesis, string newChainId, string name,
        IReadOnlyList<string> installerKeys, IReadOnlyList<string> treasurerKeys, IReadOnlyList<GenesisValidator> validators) =>
        WithParent(parentData, parentGenesis, store =>
        {
            ExitGroup group = ExitGroup.Find(store.State.Entries, newChainId, out string? problem)
                ?? throw new ParentDataException($"{parentData}: {problem}");
            int interval = store.State.View().Parameters.IntervalSeconds;
            StoredSettlement closed = store.GetSettlement(group.ExitIntervalStart - interval)
                ?? throw new ParentDataException($"{parentData}: the interval before the exit interval has not closed; the exits are not final");
            BlockHeader header = store.GetBlock(closed.Height)!.Block.Header;
            return SplitGenesis.Build(group, store.State.View().Parameters, store.Genesis.ChainId, header, name, installerKeys, treasurerKeys, validators);
        });

    /// <summary>Every way <paramref name="genesis"/>'s parent link, members and meters differ from the parent's data; empty when they match.</summary>
    public static List<string> Check(GenesisDocument genesis, string parentData, string? parentGenesis) =>
        WithParent(parentData, parentGenesis, store =>
        {
            long height = genesis.Parent?.Height ?? 0;
            Block? block = height >= 1 && height <= store.Height ? store.GetBlock(height)?.Block : null;
            var closed = new List<long>();
            foreach (SettlementResult s in block?.Body.Settlements ?? []) closed.Add(s.IntervalStart);
            return SplitGenesis.FindProblems(genesis, store.Genesis.ChainId, store.State.Entries, block?.Header, closed);
        });

    private static T WithParent<T>(string parentData, string? parentGenesis, Func<ChainStore, T> use)
    {
        string genesisPath = parentGenesis ?? Path.Combine(parentData, SimulationOptions.GenesisFileName);
        if (!File.Exists(genesisPath))
        {
            throw new ParentDataException($"{genesisPath} not found; give the old community's genesis file with --parent-genesis FILE");
        }
        try
        {
            GenesisDocument genesis = GenesisFile.Load(genesisPath);
            using ChainStore store = ChainStore.OpenReadOnly(Path.Combine(parentData, SimulationOptions.ChainFileName), genesis, VerifyMode.Full);
            return use(store);
        }
        catch (Exception e) when (e is GenesisException or ChainStoreException or IOException or UnauthorizedAccessException)
        {
            throw new ParentDataException($"the old community's chain in {parentData} cannot be used: {e.Message}");
        }
    }
}
