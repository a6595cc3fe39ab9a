using CommunityGrid.Chain.Blocks;

namespace CommunityGrid.Node.Proofs;

/// <summary>
/// The last block reported committed and the header of the block before it (null when that block was not reported
/// just before), as the proof sender holds them for <see cref="MeterProofs.Take"/>, which checks they are the stored tip.
/// </summary>
public sealed record CommittedTip(Block Block, BlockHeader? Previous);
