using System.Collections.Generic;
using CommunityGrid.Chain.Blocks;
using CommunityGrid.Node.Acks;

namespace CommunityGrid.Node.Production;

/// <summary>What one production round did.</summary>
/// <param name="Block">The block appended, or null when nothing was due.</param>
/// <param name="Acks">The reading acks it released (already queued for sending).</param>
/// <param name="Applied">Transactions applied in <paramref name="Block"/>.</param>
/// <param name="Rejected">Candidates rejected and dropped from the mempool.</param>
/// <param name="Duplicates">Candidates already in the chain, dropped and acknowledged again.</param>
public sealed record ProductionReport(Block? Block, IReadOnlyList<ReadingAck> Acks, int Applied, int Rejected, int Duplicates)
{
    public static ProductionReport Nothing { get; } = new(null, [], 0, 0, 0);
}
