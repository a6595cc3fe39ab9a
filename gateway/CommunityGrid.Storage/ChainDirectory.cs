using System.IO;
using CommunityGrid.Chain.Encoding;
using CommunityGrid.Chain.Genesis;
using CommunityGrid.Chain.Intervals;

namespace CommunityGrid.Storage;

/// <summary>
/// A gateway's data directory: <c>chain.sqlite</c> and the marker <c>chain.genesis</c>, written once the directory
/// holds a chain. The marker outlives the database file: if the file is later deleted, emptied or replaced, the
/// directory still says it held a chain, and the gateway refuses to start a new one there unless told to (--init).
/// A directory with neither file is new, and the chain is created in it (docs/operations.md, 'Damaged or lost chain').
/// </summary>
public static class ChainDirectory
{
    public const string DatabaseFileName = "chain.sqlite";
    public const string MarkerFileName = "chain.genesis";

    /// <param name="init">The operator asked for a new chain: create it even where the marker says a chain was.</param>
    /// <exception cref="ChainStoreException">no chain where the directory says one was, or the chain does not verify.</exception>
    public static ChainStore Open(string directory, GenesisDocument genesis, VerifyMode mode, bool init, SettlementCatalog? catalog = null)
    {
        Directory.CreateDirectory(directory);
        string database = Path.Combine(directory, DatabaseFileName);
        string marker = Path.Combine(directory, MarkerFileName);
        bool heldChain = File.Exists(marker);
        StoreCreation creation = init ? StoreCreation.Explicit : heldChain ? StoreCreation.Never : StoreCreation.IfAbsent;
        ChainStore store;
        try
        {
            store = ChainStore.Open(database, genesis, mode, catalog, creation);
        }
        catch (ChainStoreException e) when (e.NoChainStored && heldChain)
        {
            throw new ChainStoreException($"{marker} records that this directory held a chain ({File.ReadAllText(marker).Trim()}), but {e.Message}", e);
        }
        WriteMarker(marker, genesis);
        return store;
    }

    private static void WriteMarker(string marker, GenesisDocument genesis)
    {
        string content = $"chain {genesis.ChainId} genesis {Hashes.Hex(GenesisCanonical.Hash(genesis))}\n";
        if (File.Exists(marker) && File.ReadAllText(marker) == content) return;
        string temporary = marker + ".tmp";
        File.WriteAllText(temporary, content);
        File.Move(temporary, marker, overwrite: true);
    }
}
