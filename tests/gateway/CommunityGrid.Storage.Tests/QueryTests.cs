using System;
using System.Collections.Generic;
using System.Linq;
using CommunityGrid.Chain.Blocks;
using CommunityGrid.Chain.Encoding;
using CommunityGrid.Chain.Intervals;
using CommunityGrid.Chain.Transactions;

namespace CommunityGrid.Storage.Tests;

/// <summary>The queries over the position-only index tables serve what the signed blocks hold.</summary>
public sealed class QueryTests
{
    [Fact]
    public void Transactions_of_a_type_come_from_their_blocks_in_chain_order()
    {
        using var f = new StoreFixture();
        f.StoreBlocks();
        using ChainStore store = f.Open();
        var expected = new List<(long Height, int Index, string Id)>();
        foreach (Block block in f.Community.Blocks)
        {
            for (int i = 0; i < block.Body.Transactions.Count; i++)
            {
                if (Transaction.Decode(block.Body.Transactions[i]).Type == TxType.EnrolMeter) expected.Add((block.Height, i, Hashes.Hex(Hashes.Sha256(block.Body.Transactions[i]))));
            }
        }
        Assert.NotEmpty(expected);
        var served = store.GetTransactionsOfType(TxType.EnrolMeter).Select(t => (t.Height, t.Index, Hashes.Hex(t.Id))).ToList();
        Assert.Equal(expected, served);
        Assert.Empty(store.GetTransactionsOfType(TxType.EnrolMeter, expected[^1].Height, expected[^1].Index));
    }

    [Fact]
    public void Readings_are_listed_per_meter_not_by_type()
    {
        using var f = new StoreFixture();
        f.StoreBlocks(2);
        using ChainStore store = f.Open();
        var e = Assert.Throws<ArgumentException>(() => store.GetTransactionsOfType(TxType.Reading));
        Assert.Contains(nameof(ChainStore.GetReadings), e.Message);
    }

    [Fact]
    public void Fund_income_is_read_from_the_blocks_that_closed_the_intervals()
    {
        using var f = new StoreFixture();
        f.StoreBlocks();
        using ChainStore store = f.Open();
        var closed = new List<(long Start, long Height, long Income)>();
        foreach (Block block in f.Community.Blocks)
        {
            foreach (SettlementResult s in block.Body.Settlements) closed.Add((s.IntervalStart, block.Height, s.FundIncome));
        }
        Assert.True(closed.Count >= 3);
        Assert.Equal(closed, store.GetFundIncome(0).Select(i => (i.IntervalStart, i.Height, i.Amount)).ToList());
        Assert.Equal(closed.Skip(1).Take(1).ToList(), store.GetFundIncome(closed[0].Start, limit: 1).Select(i => (i.IntervalStart, i.Height, i.Amount)).ToList());
    }
}
