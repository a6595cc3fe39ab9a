using System.Collections.Generic;
using System.Linq;
using CommunityGrid.Chain.Blocks;
using CommunityGrid.Chain.Breakaway;
using CommunityGrid.Chain.Intervals;
using CommunityGrid.Chain.State;
using CommunityGrid.Chain.Tests.Support;
using CommunityGrid.Chain.Transactions;
using CommunityGrid.Chain.Validation;
using static CommunityGrid.Chain.Tests.Support.ExitSigning;

namespace CommunityGrid.Chain.Tests.Breakaway;

/// <summary>h3 leaves from interval 2: it settles intervals 0 and 1 here, then its exit becomes final when interval 1 closes.</summary>
public sealed class ExitTests
{
    private static TestCommunity Leaving()
    {
        var c = new TestCommunity().WithMeters();
        c.Produce(TestCommunity.At(10), c.ExitTx(3, 2));
        c.Produce(TestCommunity.EndOf(0), c.ReadingTx("m1", 1, 0, 1000, 0), c.ReadingTx("m2", 1, 0, 0, 3000), c.ReadingTx("m3", 1, 0, 0, 2000));
        c.Produce(TestCommunity.CloseOf(0));
        c.Produce(TestCommunity.EndOf(1), c.ReadingTx("m1", 2, 1, 2000, 0), c.ReadingTx("m3", 2, 1, 0, 2500, pv: 0));
        return c;
    }

    [Fact]
    public void An_announced_exit_keeps_the_house_a_member_until_the_interval_before_closes()
    {
        using TestCommunity c = Leaving();
        ExitRecord announced = c.Exit("h3")!;
        Assert.Equal(ExitStatus.Announced, announced.Status);
        Assert.Equal(NewChain, announced.NewChainId);
        Assert.Equal(TestCommunity.IntervalStart(2), announced.ExitIntervalStart);
        Assert.Empty(announced.Meters);
        Assert.True(c.State.View().IsMember("h3"));
        // Interval 0 settled as usual: 5000 Wh exported earn 400, the fund takes 250 permille, h3 gets 2000/5000 of 300.
        Assert.Equal(120, c.Balance("h3"));
    }

    [Fact]
    public void The_exit_becomes_final_with_balance_and_last_registers_and_the_house_stops_being_a_member()
    {
        using TestCommunity c = Leaving();
        long balance = c.Balance("h3");
        Block close = c.Produce(TestCommunity.CloseOf(1));

        Assert.Contains("h3", Assert.Single(close.Body.Settlements).Houses.Select(h => h.HouseId));
        ExitRecord final = c.Exit("h3")!;
        Assert.Equal(ExitStatus.Final, final.Status);
        Assert.NotEqual(balance, final.FinalBalance); // interval 1 settled into it first
        Assert.Equal(final.FinalBalance, final.Owed);
        ExitMeter m3 = Assert.Single(final.Meters);
        Assert.Equal("m3", m3.MeterId);
        Assert.Equal((2L, TestCommunity.IntervalStart(1), 0L, 2500L), (m3.Meter.LastSequence, m3.Meter.LastIntervalStart, m3.Meter.ImportWh, m3.Meter.ExportWh));
        Assert.Equal(c.Meters["m3"].PublicKey, m3.Meter.PublicKey);
        StateView view = c.State.View();
        Assert.False(view.IsMember("h3"));
        Assert.Null(c.State.Entries.Get(StateKeys.Balance("h3")));
        Assert.NotNull(view.Meter("m3"));
        Assert.Equal(0, view.ExitSettled("h3"));
    }

    [Fact]
    public void Readings_of_a_leaver_are_refused_from_the_exit_interval_and_all_of_them_once_final()
    {
        using TestCommunity c = Leaving();
        // Interval 2 near its end, while interval 1 has not closed yet: the exit is only announced.
        TxOutcome early = c.Try(c.ReadingTx("m3", 3, 2, 0, 2600), TestCommunity.EndOf(2) - 30_000);
        Assert.Equal(RejectionReason.MeterRetired, early.Reason);
        Assert.Contains("new-grid", early.Detail);
        c.Produce(TestCommunity.CloseOf(1));
        Assert.Equal(RejectionReason.MeterRetired, c.Try(c.ReadingTx("m3", 3, 1, 0, 2600), TestCommunity.CloseOf(1) + 1).Reason);
        Assert.Equal(RejectionReason.MeterRetired, c.Try(c.ReadingTx("m3", 3, 2, 0, 2600), TestCommunity.EndOf(2)).Reason);
        Assert.Equal(TxStatus.Applied, c.Try(c.ReadingTx("m1", 3, 2, 2100, 0), TestCommunity.EndOf(2)).Status);
    }

    [Fact]
    public void A_leaver_takes_no_part_in_clearing_after_its_exit()
    {
        using TestCommunity c = Leaving();
        c.Produce(TestCommunity.CloseOf(1));
        c.Produce(TestCommunity.EndOf(2), c.ReadingTx("m1", 3, 2, 2100, 0), c.ReadingTx("m2", 2, 2, 0, 3100));
        Block close = c.Produce(TestCommunity.CloseOf(2));
        Assert.Equal(["h1", "h2"], Assert.Single(close.Body.Settlements).Houses.Select(h => h.HouseId));
    }

    [Fact]
    public void Money_is_conserved_across_the_exit()
    {
        using TestCommunity c = Leaving();
        long before = Total(c, ["h1", "h2", "h3"]);
        Block close = c.Produce(TestCommunity.CloseOf(1));
        SettlementResult r = Assert.Single(close.Body.Settlements);
        long after = Total(c, ["h1", "h2"]) + c.Exit("h3")!.Owed;
        Assert.Equal(before + r.GridRevenue - r.GridCost, after);
    }

    [Fact]
    public void Every_Wh_of_the_leaver_is_settled_exactly_once_on_the_old_chain_up_to_the_exit()
    {
        using TestCommunity c = Leaving();
        c.Produce(TestCommunity.CloseOf(1));
        c.Produce(TestCommunity.CloseOf(2));
        long exported = c.Blocks.SelectMany(b => b.Body.Settlements).SelectMany(s => s.Houses).Where(h => h.HouseId == "h3").Sum(h => h.ExportWh);
        Assert.Equal(c.Exit("h3")!.Meters.Single().Meter.ExportWh, exported);
    }

    [Fact]
    public void A_chain_with_exits_replays_from_genesis()
    {
        using TestCommunity c = Leaving();
        c.Produce(TestCommunity.CloseOf(1));
        c.Produce(TestCommunity.CloseOf(2), c.ExitSettlementTx("h3", c.Exit("h3")!.Owed > 0 ? ExitSettlementKind.PaidToHouse : ExitSettlementKind.ReceivedFromHouse, 1));
        ChainState fresh = ChainState.FromGenesis(c.Genesis);
        foreach (Block block in c.Blocks) fresh.ApplyBlock(block);
        Assert.Equal(c.State.StateRoot, fresh.StateRoot);
    }

    internal static long Total(TestCommunity c, IEnumerable<string> houses) => houses.Sum(c.Balance) + c.State.View().Fund;
}
