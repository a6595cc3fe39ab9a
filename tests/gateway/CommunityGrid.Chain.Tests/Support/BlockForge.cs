using System.Collections.Generic;
using CommunityGrid.Chain.Blocks;
using CommunityGrid.Chain.Intervals;
using CommunityGrid.Formats.Signing;

namespace CommunityGrid.Chain.Tests.Support;

/// <summary>Builds validly signed blocks with whatever content a test wants, to check that verification catches it.</summary>
public static class BlockForge
{
    public static Block Build(TestCommunity c, long timeMs, IReadOnlyList<byte[]> txs, IReadOnlyList<SettlementResult>? settlements = null,
        byte[]? stateRoot = null, Ed25519Signer? signer = null)
    {
        var body = new BlockBody(txs, settlements ?? [], c.State.TipCommit);
        var header = new BlockHeader(c.State.ChainId, c.State.Height + 1, timeMs, c.State.TipHash, body.TxRoot(),
            stateRoot ?? c.State.StateRoot, body.SettlementRoot(), c.State.Validators.Hash, c.Validator.PublicKey,
            BlockCommits.PreviousCommitHash(c.State.TipCommit));
        return Resign(header, body, signer ?? c.Validator);
    }

    public static Block Resign(BlockHeader header, BlockBody body, Ed25519Signer signer) =>
        new(header, body, BlockCommits.SignAlone(header, signer));
}
