using System.Collections.Generic;
using CommunityGrid.Chain.Blocks;
using CommunityGrid.Chain.Encoding;
using CommunityGrid.Chain.State;
using CommunityGrid.Chain.Tests.Support;
using CommunityGrid.Chain.Transactions;

namespace CommunityGrid.Chain.Tests.Blocks;

public sealed class ReplayTests
{
    /// <summary>A day-long busy history: enrolments, payments, readings with gaps, late and duplicate ones, interval closes.</summary>
    public static TestCommunity BusyChain(int intervals = 12)
    {
        var c = new TestCommunity().WithMeters();
        c.Produce(TestCommunity.At(2), c.PaymentTx("h1", PaymentKind.Deposit, 10_000), c.EnrolTx("pv1", "h2", MeterRole.Pv));
        var random = new System.Random(7);
        var registers = new Dictionary<string, (long Import, long Export, long Sequence)>
        {
            ["m1"] = (0, 0, 0), ["m2"] = (0, 0, 0), ["m3"] = (0, 0, 0), ["pv1"] = (0, 0, 0),
        };
        for (int i = 0; i < intervals; i++)
        {
            var txs = new List<byte[]>();
            foreach (string meter in new[] { "m1", "m2", "m3", "pv1" })
            {
                if (random.Next(5) == 0) continue; // a missed reading
                (long import, long export, long sequence) = registers[meter];
                registers[meter] = (import + random.Next(0, 400), export + random.Next(0, 400), sequence + 1);
                txs.Add(meter == "pv1"
                    ? c.ReadingTx(meter, sequence + 1, i, 0, 0, pv: registers[meter].Import)
                    : c.ReadingTx(meter, sequence + 1, i, registers[meter].Import, registers[meter].Export));
            }
            if (txs.Count > 0) c.Produce(TestCommunity.EndOf(i), txs.ToArray());
            c.Produce(TestCommunity.CloseOf(i));
        }
        return c;
    }

    /// <summary>
    /// A busy chain, then two rounds of readings, an enrolment (keys created after that interval's pending/ entries) and
    /// the interval's close: the close frees slots below the new meter's, which the next round's pending/ entries take.
    /// </summary>
    public static TestCommunity ChainThatReusesSlots(int intervals)
    {
        TestCommunity c = BusyChain(intervals);
        for (int round = 0; round < 2; round++)
        {
            long interval = intervals + round;
            c.Produce(TestCommunity.EndOf(interval), NextReading(c, "m1", interval), NextReading(c, "m2", interval));
            c.Produce(TestCommunity.EndOf(interval) + 1, c.EnrolTx($"late{round}", "h3", MeterRole.Pv));
            c.Produce(TestCommunity.CloseOf(interval));
        }
        return c;
    }

    private static byte[] NextReading(TestCommunity c, string meterId, long interval)
    {
        MeterRecord m = c.State.View().Meter(meterId)!;
        return c.ReadingTx(meterId, m.LastSequence + 1, interval, m.ImportWh + 10, m.ExportWh + 10);
    }

    [Fact]
    public void Replaying_from_genesis_in_a_fresh_state_gives_the_same_state_root_at_every_height()
    {
        using TestCommunity c = BusyChain();
        ChainState fresh = ChainState.FromGenesis(c.Genesis);
        foreach (Block block in c.Blocks)
        {
            fresh.ApplyBlock(block);
            Assert.Equal(Hashes.Hex(block.Header.StateRoot), Hashes.Hex(fresh.StateRoot));
            Assert.Equal(block.Header.Hash(), fresh.TipHash);
        }
        Assert.Equal(c.State.StateRoot, fresh.StateRoot);
        Assert.Equal(c.Blocks.Count, fresh.Height);
    }

    [Fact]
    public void Blocks_survive_their_encoding()
    {
        using TestCommunity c = BusyChain(3);
        ChainState fresh = ChainState.FromGenesis(c.Genesis);
        foreach (Block block in c.Blocks)
        {
            var decoded = new Block(BlockHeader.Decode(block.Header.Encode()), BlockBody.Decode(block.Body.Encode()), BlockCommits.Decode(block.Commit.Encode(), "commit"));
            fresh.ApplyBlock(decoded);
        }
        Assert.Equal(c.State.StateRoot, fresh.StateRoot);
    }
}
