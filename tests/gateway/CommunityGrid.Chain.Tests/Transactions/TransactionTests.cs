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

    [Fact]
    public void Readings_and_administrative_transactions_decoded_in_turn_each_keep_their_own_type_signer_reading_and_verdict()
    {
        // Readings are decoded in place with reused readers and writers (issue 18, allocations); one after another,
        // through one signature cache, each must come out as itself, and a forged copy must not pass on another's check.
        using var c = new TestCommunity().WithMeters();
        var verified = new VerifiedSignatures(VerifiedSignatures.DefaultCapacity);
        byte[] first = c.ReadingTx("m1", 7, 3, 1200, 40, 500);
        byte[] payment = c.PaymentTx("h1", PaymentKind.Deposit, 5);
        byte[] second = c.ReadingTx("m1", 8, 4, 10, 0);
        byte[] forged = [.. second];
        forged[^1] ^= 0x01;
        for (int round = 0; round < 2; round++)
        {
            Transaction a = Transaction.TryDecode(first, out _, verified)!;
            Transaction p = Transaction.TryDecode(payment, out _, verified)!;
            Transaction b = Transaction.TryDecode(second, out _, verified)!;
            Transaction f = Transaction.TryDecode(forged, out _, verified)!;
            Assert.Equal((TxType.Reading, 7L, true), (a.Type, a.Reading!.Sequence, a.SignatureValid));
            Assert.Equal((TxType.Payment, true), (p.Type, p.SignatureValid));
            Assert.Equal(c.Treasurer.PublicKey, p.Signer);
            Assert.Equal((TxType.Reading, 8L, true), (b.Type, b.Reading!.Sequence, b.SignatureValid));
            Assert.Equal((TxType.Reading, 8L, false), (f.Type, f.Reading!.Sequence, f.SignatureValid));
            Assert.Equal(a.Signer, b.Signer);
            Assert.Equal(Transaction.Decode(first).Reading, a.Reading);
        }
        Assert.Equal(3, verified.Hits);
    }

    [Fact]
    public void A_content_type_that_is_not_utf8_is_malformed()
    {
        // {1: -8, 3: <text string of the bytes ff fe>}: the peek reads the header in place and must still refuse it.
        byte[] header = [0xa2, 0x01, 0x27, 0x03, 0x62, 0xff, 0xfe];
        var w = new System.Formats.Cbor.CborWriter(System.Formats.Cbor.CborConformanceMode.Lax);
        w.WriteTag((System.Formats.Cbor.CborTag)18);
        w.WriteStartArray(4);
        w.WriteByteString(header);
        w.WriteStartMap(1);
        w.WriteInt32(4);
        w.WriteByteString(new byte[32]);
        w.WriteEndMap();
        w.WriteByteString([0xa0]);
        w.WriteByteString(new byte[64]);
        w.WriteEndArray();
        Assert.Null(Transaction.TryDecode(w.Encode(), out TxOutcome? rejection));
        Assert.Equal(RejectionReason.MalformedCbor, rejection!.Reason);
    }
}
