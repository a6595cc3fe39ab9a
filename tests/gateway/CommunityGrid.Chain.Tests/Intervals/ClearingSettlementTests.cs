using System.Linq;
using CommunityGrid.Chain.Blocks;
using CommunityGrid.Chain.Intervals;
using CommunityGrid.Chain.State;
using CommunityGrid.Chain.Tests.Support;

namespace CommunityGrid.Chain.Tests.Intervals;

/// <summary>The clearing engine inside the state transition: recorded in the block, balances follow, replay agrees.</summary>
public sealed class ClearingSettlementTests
{
    [Fact]
    public void Sdr_deficit_interval_is_cleared_in_the_block_and_balances_follow()
    {
        // Retail 35, feed-in 25 per kWh; h1 exports 1400 Wh, h2 and h3 import 1500 Wh together: the SDR
        // check value of docs/clearing.md (SDR = 1400/1500, internal price 2625/103 = 25.485… per kWh).
        using var c = new TestCommunity(fundSharePermille: 1000, retailPrice: 35, feedInPrice: 25, mechanism: "sdr").WithMeters();
        c.Produce(TestCommunity.EndOf(0),
            c.ReadingTx("m1", 1, 0, 0, 1400), c.ReadingTx("m2", 1, 0, 1000, 0), c.ReadingTx("m3", 1, 0, 500, 0));
        Block close = c.Produce(TestCommunity.CloseOf(0));

        SettlementResult r = Assert.Single(close.Body.Settlements);
        Assert.Equal("sdr", r.Mechanism);
        Assert.Equal(1400, r.InternalWh);
        Assert.Equal(25_485_437, r.InternalPriceMicros); // 2625/103 = 25.4854368… rounded half up
        Assert.Equal((100L, 0L), (r.GridImportWh, r.GridExportWh));

        // The seller sells everything internally: 1.4 kWh × 2625/103 = 35.679… → rounded down for sellers.
        HouseSettlement h1 = r.Houses.Single(h => h.HouseId == "h1");
        Assert.Equal((1400L, 0L, 35L), (h1.ExportInternalWh, h1.Cost, h1.Revenue));
        // Buyers take Q/D = 14/15 internally, the rest (100 Wh) from the grid at 35: 3.5 minor units.
        HouseSettlement h2 = r.Houses.Single(h => h.HouseId == "h2");
        HouseSettlement h3 = r.Houses.Single(h => h.HouseId == "h3");
        Assert.Equal(1400, h2.ImportInternalWh + h3.ImportInternalWh);
        Assert.Equal(4, r.GridCost); // ⌈100 Wh × 35 / 1000⌉
        // Buyers owe 35.6796… internally + 3.5 to the grid = 39.1796…, rounded up once for the buyers' side.
        long paid = h2.Cost + h3.Cost;
        Assert.Equal(40, paid);
        // The pool keeps what rounding left: 40 paid in, 35 to the seller, 4 to the grid.
        Assert.Equal(1, r.FundIncome);

        Assert.Equal(h1.Net, c.Balance("h1"));
        Assert.Equal(h2.Net, c.Balance("h2"));
        Assert.Equal(h3.Net, c.Balance("h3"));
        Assert.Equal(r.FundIncome, c.State.View().Fund);
        Assert.Equal(paid + r.GridRevenue, h1.Revenue + r.GridCost + r.FundIncome);
    }

    [Theory]
    [InlineData("sdr")]
    [InlineData("mmr")]
    [InlineData("bs")]
    [InlineData("auction")]
    [InlineData("grid-only")]
    public void Every_mechanism_conserves_money_and_replays_to_the_same_state(string mechanism)
    {
        using var c = new TestCommunity(fundSharePermille: 300, mechanism: mechanism).WithMeters();
        long[][] registers = [[0, 0], [0, 0], [0, 0]];
        for (int interval = 0; interval < 4; interval++)
        {
            var txs = new byte[3][];
            for (int house = 0; house < 3; house++)
            {
                // Surplus and deficit intervals alternate: h1 exports a lot in even intervals.
                registers[house][0] += 200 + 137 * house + (interval % 2 == 0 ? 0 : 900);
                registers[house][1] += house == 0 && interval % 2 == 0 ? 1800 : 50 * interval;
                txs[house] = c.ReadingTx($"m{house + 1}", interval + 1, interval, registers[house][0], registers[house][1]);
            }
            c.Produce(TestCommunity.EndOf(interval), txs);
            c.Produce(TestCommunity.CloseOf(interval));
        }

        var settlements = c.Blocks.SelectMany(b => b.Body.Settlements).ToList();
        Assert.Equal(4, settlements.Count);
        long balances = c.Balance("h1") + c.Balance("h2") + c.Balance("h3");
        long gridNet = settlements.Sum(s => s.GridRevenue - s.GridCost);
        Assert.Equal(gridNet, balances + c.State.View().Fund);
        if (mechanism != "grid-only")
        {
            Assert.Contains(settlements, s => s.InternalWh > 0);
        }

        ChainState replay = ChainState.FromGenesis(c.Genesis);
        foreach (Block block in c.Blocks)
        {
            replay.ApplyBlock(block);
        }
        Assert.Equal(c.State.StateRoot, replay.StateRoot);
    }

    [Fact]
    public void Settlement_results_survive_their_encoding()
    {
        using var c = new TestCommunity(mechanism: "mmr").WithMeters();
        c.Produce(TestCommunity.EndOf(0), c.ReadingTx("m1", 1, 0, 0, 700), c.ReadingTx("m2", 1, 0, 300, 0));
        SettlementResult r = Assert.Single(c.Produce(TestCommunity.CloseOf(0)).Body.Settlements);

        SettlementResult decoded = SettlementResult.Decode(r.Encode());

        Assert.Equal(r.Houses, decoded.Houses);
        Assert.Equal(r with { Houses = decoded.Houses }, decoded);
        Assert.Equal(190_000_000, decoded.InternalPriceMicros); // (300 + 80) / 2
    }
}
