using CommunityGrid.Chain.Encoding;
using CommunityGrid.Chain.Tests.Support;
using CommunityGrid.Chain.Transactions;
using CommunityGrid.Chain.Validation;
using CommunityGrid.Formats.Cose;

namespace CommunityGrid.Chain.Tests.Transactions;

public sealed class TransactionTests
{
    [Fact]
    public void Admin_payloads_round_trip_through_their_canonical_encoding()
    {
        using var c = new TestCommunity();
        AdminPayload[] payloads =
        [
            new EnrolMeterPayload("g", 1, "m1", c.Key(50).PublicKey, "h1", MeterRole.Pv, 1, 2, 3),
            new AdmitMemberPayload("g", 2, "h9", c.Key(51).PublicKey),
            new PaymentPayload("g", 3, "h1", PaymentKind.Payout, 12345, "March payout"),
        ];
        foreach (AdminPayload p in payloads)
        {
            AdminPayload decoded = AdminPayload.Decode(p.Type, p.Encode());
            Assert.Equal(p.Encode(), decoded.Encode());
        }
    }

    [Fact]
    public void Decoding_gives_type_signer_and_id()
    {
        using var c = new TestCommunity();
        byte[] bytes = c.PaymentTx("h1", PaymentKind.Deposit, 5);
        Transaction tx = Transaction.Decode(bytes);
        Assert.Equal(TxType.Payment, tx.Type);
        Assert.Equal(c.Treasurer.PublicKey, tx.Signer);
        Assert.True(tx.SignatureValid);
        Assert.Equal(Hashes.Sha256(bytes), tx.Id);
    }

    [Fact]
    public void A_final_blocks_reading_is_read_as_full_decoding_reads_it_and_an_administrative_transaction_is_no_reading()
    {
        using var c = new TestCommunity().WithMeters();
        byte[] reading = c.ReadingTx("m1", 7, 3, 1200, 40, 500);
        Assert.Equal(Transaction.Decode(reading).Reading, Transaction.ReadingInFinalBlock(reading));
        Assert.Equal(7, Transaction.ReadingInFinalBlock(reading)!.Sequence);
        Assert.Null(Transaction.ReadingInFinalBlock(c.PaymentTx("h1", PaymentKind.Deposit, 5)));
    }

    [Fact]
    public void Content_type_separates_domains()
    {
        using var c = new TestCommunity();
        // A payment payload signed under the enrol-meter content type does not parse as an enrolment.
        byte[] payload = new PaymentPayload(TestCommunity.ChainId, 1, "h1", PaymentKind.Deposit, 5, "x").Encode();
        byte[] confused = CoseSign1Codec.Sign(payload, TxContentTypes.EnrolMeter, c.Installer);
        Assert.Null(Transaction.TryDecode(confused, out TxOutcome? rejection));
        Assert.Equal(RejectionReason.MalformedCbor, rejection!.Reason);
    }

    [Fact]
    public void Reserved_and_unknown_types_are_rejected()
    {
        using var c = new TestCommunity();
        foreach (string type in new[] { TxContentTypes.Split, "text/plain" })
        {
            Assert.Null(Transaction.TryDecode(CoseSign1Codec.Sign([0xa0], type, c.Treasurer), out TxOutcome? rejection));
            Assert.Equal(RejectionReason.UnknownTxType, rejection!.Reason);
        }
    }

    [Fact]
    public void Non_canonical_payloads_are_malformed()
    {
        using var c = new TestCommunity();
        // {1: "g", 2: 1, ...} with the nonce 1 encoded in two bytes (0x18 0x01) instead of one.
        byte[] payload = new AdmitMemberPayload("g", 1, "h9", c.Key(51).PublicKey).Encode();
        int at = System.Array.IndexOf(payload, (byte)0x02) + 1;
        byte[] loose = [.. payload[..at], 0x18, 0x01, .. payload[(at + 1)..]];
        Assert.Throws<ChainFormatException>(() => AdminPayload.Decode(TxType.AdmitMember, loose));
    }
}
