using System;
using CommunityGrid.Meter.Messaging;
using CommunityGrid.Protocol.Bytes;
using CommunityGrid.Protocol.Cbor;
using CommunityGrid.Protocol.Cose;
using CommunityGrid.Protocol.Readings;

namespace CommunityGrid.Meter.Core.Tests.Messaging;

public sealed class GatewayAckCodecTests
{
    private static GatewayAck Committed() => new(MessagingExamples.ChainId, MessagingExamples.MeterId, 42, AckStatus.Committed, 7, 3, null);

    private static GatewayAck Rejected() => new(MessagingExamples.ChainId, MessagingExamples.MeterId, 43, AckStatus.Rejected, 7, 0, "interval already settled");

    [Fact]
    public void Worked_examples_encode_and_decode_exactly()
    {
        Assert.Equal(MessagingExamples.CommittedAckPayload, Hex.Encode(GatewayAckCodec.EncodePayload(Committed())));
        Assert.Equal(MessagingExamples.RejectedAckPayload, Hex.Encode(GatewayAckCodec.EncodePayload(Rejected())));
        Assert.Equal(Rejected().ToString(), GatewayAckCodec.DecodePayload(Hex.Decode(MessagingExamples.RejectedAckPayload)).ToString());
    }

    [Fact]
    public void A_signed_rejection_whose_reason_holds_characters_above_U_FFFF_opens()
    {
        // On the device the old encoder threw here (s[i] on a surrogate pair), so the ack never opened and the reading was resent.
        const string reason = "DecreasingRegister: import below the initial register \U0001F50C\U0001F3E0";
        var ack = new GatewayAck(MessagingExamples.ChainId, MessagingExamples.MeterId, 44, AckStatus.Rejected, 9, 0, reason);
        byte[] cose = GatewayAckCodec.Sign(ack, MessagingExamples.GatewaySeed);
        GatewayAck opened = GatewayAckCodec.Open(cose, new TrustedSigners(new[] { MessagingExamples.GatewayPublicKey }));
        Assert.Equal(reason, opened.Reason);
        Assert.Equal(AckStatus.Rejected, opened.Status);
    }

    [Fact]
    public void A_signed_ack_opens_only_with_a_trusted_key_and_an_intact_signature()
    {
        byte[] cose = GatewayAckCodec.Sign(Committed(), MessagingExamples.GatewaySeed);
        var trusted = new TrustedSigners(new[] { new byte[32], MessagingExamples.GatewayPublicKey });
        GatewayAck opened = GatewayAckCodec.Open(cose, trusted);
        Assert.Equal(Committed().ToString(), opened.ToString());
        Assert.True(opened.IsFor(MessagingExamples.ChainId, MessagingExamples.MeterId));
        Assert.False(opened.IsFor(MessagingExamples.ChainId, "meter-0002"));

        byte[] otherSeed = new byte[32];
        otherSeed[0] = 1;
        Assert.Throws<UntrustedSignerException>(() => GatewayAckCodec.Open(GatewayAckCodec.Sign(Committed(), otherSeed), trusted));

        byte[] tampered = (byte[])cose.Clone();
        tampered[^1] ^= 1;
        Assert.Throws<CoseSignatureException>(() => GatewayAckCodec.Open(tampered, trusted));
        byte[] payloadFlipped = (byte[])cose.Clone();
        int sequenceAt = IndexOf(payloadFlipped, Hex.Decode("03182a"));
        payloadFlipped[sequenceAt + 2] = 0x2b;
        Assert.Throws<CoseSignatureException>(() => GatewayAckCodec.Open(payloadFlipped, trusted));
    }

    [Fact]
    public void Display_data_or_a_reading_is_never_taken_for_an_ack()
    {
        var trusted = new TrustedSigners(new[] { MessagingExamples.GatewayPublicKey });
        byte[] display = DisplayInfoCodec.Sign(new DisplayInfo(MessagingExamples.ChainId, MessagingExamples.MeterId, 1, 2, 3), MessagingExamples.GatewaySeed);
        Assert.Throws<CoseFormatException>(() => GatewayAckCodec.Open(display, trusted));
        byte[] reading = SignedReading.Create(new MeterReading(MessagingExamples.ChainId, MessagingExamples.MeterId, 1, 0, 900, 0, 0, 0, "1"), MessagingExamples.GatewaySeed);
        Assert.Throws<CoseFormatException>(() => GatewayAckCodec.Open(reading, trusted));
    }

    [Theory]
    [InlineData("a5" + "0172636f6d6d756e697479677269642d74657374" + "026a6d657465722d30303031" + "03182a" + "0400" + "0507", "required key 6")]
    [InlineData("a7" + "0172636f6d6d756e697479677269642d74657374" + "026a6d657465722d30303031" + "03182a" + "0400" + "0507" + "0603" + "0800", "unknown key 8")]
    [InlineData("a7" + "0172636f6d6d756e697479677269642d74657374" + "026a6d657465722d30303031" + "03182a" + "0400" + "0507" + "0603" + "076178", "only allowed when the status is rejected")]
    [InlineData("a6" + "0172636f6d6d756e697479677269642d74657374" + "026a6d657465722d30303031" + "03182b" + "0402" + "0507" + "0600", "required when the status is rejected")]
    [InlineData("a6" + "0172636f6d6d756e697479677269642d74657374" + "026a6d657465722d30303031" + "03182a" + "0403" + "0507" + "0603", "status")]
    [InlineData("a6" + "0172636f6d6d756e697479677269642d74657374" + "026a6d657465722d30303031" + "0300" + "0400" + "0507" + "0603", "sequence")]
    [InlineData("a6" + "0160" + "026a6d657465722d30303031" + "03182a" + "0400" + "0507" + "0603", "chain id")]
    public void Broken_ack_rules_are_rejected_naming_the_problem(string hex, string problem)
    {
        var e = Assert.Throws<MessageFormatException>(() => GatewayAckCodec.DecodePayload(Hex.Decode(hex)));
        Assert.Contains(problem, e.Message);
    }

    [Theory]
    [InlineData("a6" + "0172636f6d6d756e697479677269642d74657374" + "026a6d657465722d30303031" + "0320" + "0400" + "0507" + "0603")]    // negative sequence
    [InlineData("a6" + "0172636f6d6d756e697479677269642d74657374" + "026a6d657465722d30303031" + "03612a" + "0400" + "0507" + "0603")]  // text sequence
    [InlineData("a6" + "026a6d657465722d30303031" + "0172636f6d6d756e697479677269642d74657374" + "03182a" + "0400" + "0507" + "0603")]  // keys out of order
    [InlineData("a6" + "0172636f6d6d756e697479677269642d74657374" + "026a6d657465722d30303031" + "0318" + "2a" + "0400" + "0507" + "060300")] // trailing byte
    [InlineData("a6" + "0172636f6d6d756e697479677269642d74657374" + "026a6d657465722d30303031" + "03190007" + "0400" + "0507" + "0603")] // not shortest
    [InlineData("80")]
    public void Malformed_cbor_is_rejected(string hex)
    {
        Assert.Throws<CborFormatException>(() => GatewayAckCodec.DecodePayload(Hex.Decode(hex)));
    }

    [Fact]
    public void The_constructor_holds_the_same_rules()
    {
        Assert.Throws<MessageFormatException>(() => new GatewayAck("c", new string('m', 65), 1, AckStatus.Committed, 0, 0, null));
        Assert.Throws<MessageFormatException>(() => new GatewayAck("c", "m", 1, AckStatus.Committed, -1, 0, null));
        Assert.Throws<MessageFormatException>(() => new GatewayAck("c", "m", 1, AckStatus.Rejected, 0, 0, new string('r', 257)));
        Assert.Throws<MessageFormatException>(() => new GatewayAck("c", "m", 1, (AckStatus)7, 0, 0, null));
        Assert.Throws<ArgumentException>(() => new TrustedSigners(new byte[0][]));
        Assert.Throws<ArgumentException>(() => new TrustedSigners(new[] { new byte[31] }));
    }

    private static int IndexOf(byte[] haystack, byte[] needle)
    {
        for (int i = 0; i + needle.Length <= haystack.Length; i++)
        {
            if (haystack.AsSpan(i, needle.Length).SequenceEqual(needle)) return i;
        }
        throw new InvalidOperationException("not found");
    }
}
