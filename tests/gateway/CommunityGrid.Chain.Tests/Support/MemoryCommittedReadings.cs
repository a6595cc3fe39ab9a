using System;
using System.Collections.Generic;
using CommunityGrid.Chain.Blocks;
using CommunityGrid.Chain.Encoding;
using CommunityGrid.Chain.Transactions;

namespace CommunityGrid.Chain.Tests.Support;

/// <summary>The committed readings of the blocks <see cref="TestCommunity"/> produced, as a gateway's store indexes them.</summary>
public sealed class MemoryCommittedReadings : ICommittedReadings
{
    private readonly Dictionary<(string Meter, long Sequence), byte[]> ids = new();

    public void Record(Block block)
    {
        foreach (byte[] bytes in block.Body.Transactions)
        {
            Transaction tx = Transaction.Decode(bytes);
            if (tx.Reading is { } r) ids[(r.MeterId, r.Sequence)] = tx.Id;
        }
    }

    public bool Holds(string meterId, long sequence, byte[] txId) =>
        ids.TryGetValue((meterId, sequence), out byte[]? id) && Hashes.Equal(id, txId);
}
