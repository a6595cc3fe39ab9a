using CommunityGrid.Chain.Breakaway;
using CommunityGrid.Chain.Tests.Support;
using CommunityGrid.Chain.Transactions;
using CommunityGrid.Chain.Validation;

namespace CommunityGrid.Chain.Tests.Breakaway;

/// <summary>The treasurer records the money that settles a final exit record until its open amount is zero.</summary>
public sealed class ExitSettlementTests
{
    /// <summary>h1 owes the community (it imported), h2 is owed (a deposit), both leave from interval 1.</summary>
    private static TestCommunity Settling()
    {
        var c = new TestCommunity().WithMeters();
        c.Produce(TestCommunity.At(10), c.ExitTx(1, 1), c.ExitTx(2, 1), c.PaymentTx("h2", PaymentKind.Deposit, 5_000));
        c.Produce(TestCommunity.EndOf(0), c.ReadingTx("m1", 1, 0, 1000, 0));
        c.Produce(TestCommunity.CloseOf(0));
        return c;
    }

    [Fact]
    public void Payments_settle_the_record_in_either_direction_until_it_is_closed()
    {
        using TestCommunity c = Settling();
        Assert.Equal(-300, c.Exit("h1")!.Owed); // 1000 Wh at 300 per kWh
        Assert.Equal(5_000, c.Exit("h2")!.Owed);

        c.Produce(TestCommunity.CloseOf(0) + 1, c.ExitSettlementTx("h1", ExitSettlementKind.ReceivedFromHouse, 100), c.ExitSettlementTx("h2", ExitSettlementKind.PaidToHouse, 4_000));
        Assert.Equal(-200, c.OpenAmount("h1"));
        Assert.Equal(-100, c.State.View().ExitSettled("h1"));
        Assert.Equal(1_000, c.OpenAmount("h2"));

        c.Produce(TestCommunity.CloseOf(0) + 2, c.ExitSettlementTx("h1", ExitSettlementKind.ReceivedFromHouse, 200), c.ExitSettlementTx("h2", ExitSettlementKind.PaidToHouse, 1_000));
        Assert.Equal(0, c.OpenAmount("h1"));
        Assert.Equal(0, c.OpenAmount("h2"));
        Assert.Equal(RejectionReason.ExitClosed, c.Try(c.ExitSettlementTx("h2", ExitSettlementKind.PaidToHouse, 1), TestCommunity.CloseOf(0) + 3).Reason);
    }

    [Fact]
    public void A_payment_in_the_wrong_direction_or_above_the_open_amount_is_refused()
    {
        using TestCommunity c = Settling();
        long t = TestCommunity.CloseOf(0) + 1;
        Assert.Equal(RejectionReason.ExceedsOpenAmount, c.Try(c.ExitSettlementTx("h1", ExitSettlementKind.PaidToHouse, 1), t).Reason);
        Assert.Equal(RejectionReason.ExceedsOpenAmount, c.Try(c.ExitSettlementTx("h1", ExitSettlementKind.ReceivedFromHouse, 301), t).Reason);
        Assert.Equal(RejectionReason.ExceedsOpenAmount, c.Try(c.ExitSettlementTx("h2", ExitSettlementKind.ReceivedFromHouse, 1), t).Reason);
        Assert.Equal(RejectionReason.ExceedsOpenAmount, c.Try(c.ExitSettlementTx("h2", ExitSettlementKind.PaidToHouse, 5_001), t).Reason);
        Assert.Equal(TxStatus.Applied, c.Try(c.ExitSettlementTx("h2", ExitSettlementKind.PaidToHouse, 5_000), t).Status);
    }

    [Fact]
    public void Only_a_treasurer_settles_and_only_a_final_record()
    {
        var c = new TestCommunity().WithMeters();
        using (c)
        {
            c.Produce(TestCommunity.At(10), c.ExitTx(1, 2));
            Assert.Equal(RejectionReason.UnknownExit, c.Try(c.ExitSettlementTx("h1", ExitSettlementKind.PaidToHouse, 1), TestCommunity.At(11)).Reason);
            Assert.Equal(RejectionReason.UnknownExit, c.Try(c.ExitSettlementTx("h2", ExitSettlementKind.PaidToHouse, 1), TestCommunity.At(11)).Reason);
            byte[] byMember = TestCommunity.Sign(new ExitSettlementPayload(TestCommunity.ChainId, 1, "h1", ExitSettlementKind.PaidToHouse, 1, "x"), c.Members[0]);
            Assert.Equal(RejectionReason.Unauthorized, c.Try(byMember, TestCommunity.At(11)).Reason);
        }
    }

    [Fact]
    public void Payments_to_a_house_whose_exit_is_final_go_through_its_exit_record_only()
    {
        using TestCommunity c = Settling();
        Assert.Equal(RejectionReason.UnknownHouse, c.Try(c.PaymentTx("h2", PaymentKind.Payout, 10), TestCommunity.CloseOf(0) + 1).Reason);
    }
}
