using CommunityGrid.Chain.Tests.Support;
using CommunityGrid.Chain.Transactions;
using CommunityGrid.Chain.Validation;

namespace CommunityGrid.Chain.Tests.Validation;

public sealed class AdminRuleTests
{
    [Fact]
    public void Enrolment_must_be_signed_by_an_installer()
    {
        using var c = new TestCommunity();
        var payload = new EnrolMeterPayload(TestCommunity.ChainId, 1, "m1", c.Key(100).PublicKey, "h1", MeterRole.ConnectionPoint, 0, 0, 0);
        Assert.Equal(RejectionReason.Unauthorized, c.Try(TestCommunity.Sign(payload, c.Treasurer), TestCommunity.At(1)).Reason);
        Assert.Equal(TxStatus.Applied, c.Try(TestCommunity.Sign(payload, c.Installer), TestCommunity.At(1)).Status);
    }

    [Fact]
    public void Payments_and_admissions_must_be_signed_by_a_treasurer()
    {
        using var c = new TestCommunity();
        var pay = new PaymentPayload(TestCommunity.ChainId, 1, "h1", PaymentKind.Deposit, 100, "x");
        var admit = new AdmitMemberPayload(TestCommunity.ChainId, 1, "h4", c.Key(14).PublicKey);
        Assert.Equal(RejectionReason.Unauthorized, c.Try(TestCommunity.Sign(pay, c.Members[0]), TestCommunity.At(1)).Reason);
        Assert.Equal(RejectionReason.Unauthorized, c.Try(TestCommunity.Sign(admit, c.Installer), TestCommunity.At(1)).Reason);
    }

    [Fact]
    public void A_replayed_nonce_is_rejected()
    {
        using var c = new TestCommunity();
        byte[] deposit = c.PaymentTx("h1", PaymentKind.Deposit, 500);
        c.Produce(TestCommunity.At(1), deposit);
        Assert.Equal(RejectionReason.ReplayedNonce, c.Try(deposit, TestCommunity.At(2)).Reason);
        Assert.Equal(500, c.Balance("h1"));
    }

    [Fact]
    public void Deposits_raise_and_payouts_lower_a_balance_which_may_go_negative()
    {
        using var c = new TestCommunity();
        c.Produce(TestCommunity.At(1), c.PaymentTx("h1", PaymentKind.Deposit, 500), c.PaymentTx("h1", PaymentKind.Payout, 800));
        Assert.Equal(-300, c.Balance("h1"));
        Assert.Equal(0, c.Balance("h2"));
    }

    [Fact]
    public void Payment_rules()
    {
        using var c = new TestCommunity();
        Assert.Equal(RejectionReason.UnknownHouse, c.Try(c.PaymentTx("h9", PaymentKind.Deposit, 1), TestCommunity.At(1)).Reason);
        Assert.Equal(RejectionReason.AmountOutOfRange, c.Try(c.PaymentTx("h1", PaymentKind.Deposit, 0), TestCommunity.At(1)).Reason);
        Assert.Equal(RejectionReason.InvalidField, c.Try(c.PaymentTx("h1", PaymentKind.Deposit, 1, new string('x', 141)), TestCommunity.At(1)).Reason);
    }

    /// <summary>Issue 11 case 8: chain.md and the code agree on 1..10^15 minor units per payment.</summary>
    [Fact]
    public void Payment_amounts_run_from_one_to_ten_to_the_fifteenth()
    {
        using var c = new TestCommunity();
        Assert.Equal(1_000_000_000_000_000, AdminRules.MaxPaymentAmount);
        Assert.Equal(RejectionReason.AmountOutOfRange, c.Try(c.PaymentTx("h1", PaymentKind.Deposit, AdminRules.MaxPaymentAmount + 1), TestCommunity.At(1)).Reason);
        Assert.Equal(RejectionReason.AmountOutOfRange, c.Try(c.PaymentTx("h1", PaymentKind.Payout, AdminRules.MaxPaymentAmount + 1), TestCommunity.At(1)).Reason);
        c.Produce(TestCommunity.At(1), c.PaymentTx("h1", PaymentKind.Deposit, AdminRules.MaxPaymentAmount), c.PaymentTx("h2", PaymentKind.Payout, AdminRules.MaxPaymentAmount));
        Assert.Equal(AdminRules.MaxPaymentAmount, c.Balance("h1"));
        Assert.Equal(-AdminRules.MaxPaymentAmount, c.Balance("h2"));
    }

    /// <summary>Balances stay within ±10^18, leaving settlement room in an int64 (chain.md §5).</summary>
    [Fact]
    public void Payments_may_not_take_a_balance_beyond_ten_to_the_eighteenth()
    {
        using var c = new TestCommunity();
        var deposits = new byte[1000][];
        for (int i = 0; i < deposits.Length; i++) deposits[i] = c.PaymentTx("h1", PaymentKind.Deposit, AdminRules.MaxPaymentAmount);
        c.Produce(TestCommunity.At(1), deposits);
        Assert.Equal(AdminRules.MaxBalance, c.Balance("h1"));
        Assert.Equal(RejectionReason.AmountOutOfRange, c.Try(c.PaymentTx("h1", PaymentKind.Deposit, 1), TestCommunity.At(2)).Reason);
        Assert.Equal(TxStatus.Applied, c.Try(c.PaymentTx("h1", PaymentKind.Payout, 1), TestCommunity.At(2)).Status);
    }

    [Fact]
    public void Admission_rules()
    {
        using var c = new TestCommunity();
        Assert.Equal(RejectionReason.HouseExists, c.Try(c.AdmitTx("h1", c.Key(14)), TestCommunity.At(1)).Reason);
        Assert.Equal(RejectionReason.KeyInUse, c.Try(c.AdmitTx("h4", c.Members[0]), TestCommunity.At(1)).Reason);
        Assert.Equal(RejectionReason.InvalidField, c.Try(c.AdmitTx("h/4", c.Key(14)), TestCommunity.At(1)).Reason);
        c.Produce(TestCommunity.At(1), c.AdmitTx("h4", c.Key(14)));
        Assert.Equal(0, c.Balance("h4"));
    }

    [Fact]
    public void Enrolment_rules()
    {
        using var c = new TestCommunity().WithMeters();
        Assert.Equal(RejectionReason.MeterExists, c.Try(c.EnrolTx("m1", "h1"), TestCommunity.At(2)).Reason);
        Assert.Equal(RejectionReason.UnknownHouse, c.Try(c.EnrolTx("m7", "h9"), TestCommunity.At(2)).Reason);
        var reusedKey = new EnrolMeterPayload(TestCommunity.ChainId, 50, "m8", c.Meters["m1"].PublicKey, "h1", MeterRole.Pv, 0, 0, 0);
        Assert.Equal(RejectionReason.KeyInUse, c.Try(TestCommunity.Sign(reusedKey, c.Installer), TestCommunity.At(2)).Reason);
    }

    [Fact]
    public void Admin_transactions_for_another_chain_are_rejected()
    {
        using var c = new TestCommunity();
        var pay = new PaymentPayload("other-grid", 1, "h1", PaymentKind.Deposit, 100, "x");
        Assert.Equal(RejectionReason.WrongChain, c.Try(TestCommunity.Sign(pay, c.Treasurer), TestCommunity.At(1)).Reason);
    }
}
