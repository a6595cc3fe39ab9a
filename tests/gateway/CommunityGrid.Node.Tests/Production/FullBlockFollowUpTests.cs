using System;
using System.Diagnostics;
using System.Linq;
using System.Threading.Tasks;
using CommunityGrid.Chain.Blocks;
using CommunityGrid.Node.Hosting;
using CommunityGrid.Node.Ingest;
using CommunityGrid.Node.Tests.Support;
using CommunityGrid.Peering.Transport;

namespace CommunityGrid.Node.Tests.Production;

/// <summary>
/// A gateway that commits alone and has more waiting than one block holds produces the next block at once, not a
/// block period later (issue 18: one full block per period capped ingest at 2,000 readings a second).
/// </summary>
public sealed class FullBlockFollowUpTests
{
    private static readonly TimeSpan Period = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task A_full_block_is_followed_by_the_next_without_waiting_a_period()
    {
        using var grid = new TestGrid(3);
        const int perMeter = 700; // 2,100 readings: one full block and 100 more
        await using GatewayNode node = await GatewayNode.StartAsync(grid.NodeOptions(LoopbackPorts.Reserve()) with { BlockPeriod = Period });
        long startHeight = node.Height;
        foreach (string meter in grid.Meters.Keys)
        {
            for (int seq = 1; seq <= perMeter; seq++)
            {
                Assert.Equal(IntakeResult.Queued, node.Intake.Offer(meter, grid.Reading(meter, seq, importWh: seq)));
            }
        }

        var waited = Stopwatch.StartNew();
        while (node.Pool.Count > 0 && waited.Elapsed < 3 * Period) await Task.Delay(100);

        Assert.Equal(0, node.Pool.Count);
        Block[] blocks = node.Read(s => Enumerable.Range((int)startHeight + 1, (int)(s.Height - startHeight)).Select(h => s.GetBlock(h)!.Block).ToArray());
        Assert.Equal([BlockProducer.DefaultMaxTransactions, 3 * perMeter - BlockProducer.DefaultMaxTransactions], blocks.Select(b => b.Body.Transactions.Count));
        // Block times come from the clock: the second block was made right after the first, not on the next tick.
        Assert.True(blocks[1].Header.TimeMs - blocks[0].Header.TimeMs < Period.TotalMilliseconds / 2,
            $"the second block came {blocks[1].Header.TimeMs - blocks[0].Header.TimeMs} ms after the full one; the period is {Period.TotalMilliseconds} ms");
    }
}
