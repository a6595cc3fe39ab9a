using CommunityGrid.Consensus.Messages;

namespace CommunityGrid.Chain.Blocks;

/// <summary>
/// A header, its body and the commit certificate that made it final here (the one this gateway saw or built; the
/// canonical one of block h is the one block h+1 carries in its body).
/// </summary>
public sealed record Block(BlockHeader Header, BlockBody Body, CommitCertificate Commit)
{
    public long Height => Header.Height;
}
