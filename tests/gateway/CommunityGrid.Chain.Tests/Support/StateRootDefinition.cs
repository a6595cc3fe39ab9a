using CommunityGrid.Chain.Encoding;
using CommunityGrid.Chain.State;
using CommunityGrid.Protocol.Merkle;

namespace CommunityGrid.Chain.Tests.Support;

/// <summary>The state root by its plain definition (docs/chain.md §3): every slot's leaf hashed again, the reference the incremental tree is held to.</summary>
internal static class StateRootDefinition
{
    public static string Hex(IStateReader state, string?[] layout) => Hashes.Hex(MerkleTree.Root(StateTree.Leaves(state, layout)));
}
