using System;
using CommunityGrid.Formats.Signing;
using CommunityGrid.Node.Ingest;
using CommunityGrid.Node.Tests.Support;

namespace CommunityGrid.Node.Tests.Ingest;

/// <summary>
/// What intake reads of every publish before decoding it: the meter of the topic and the reading's sequence. Both now
/// read in place with reused readers (issue 18, allocations), so one message read after another must give each its own answer.
/// </summary>
public class IntakeParsingTests
{
    [Fact]
    public void The_sequence_peek_gives_each_reading_its_own_sequence_one_after_another_and_after_bad_input()
    {
        using Ed25519Signer first = Ed25519Signer.Generate();
        using Ed25519Signer second = Ed25519Signer.Generate();
        byte[] early = TestGrid.Reading(first, "m01", 7, importWh: 100);
        byte[] late = TestGrid.Reading(second, "m02-with-a-longer-id", 123_456_789, importWh: 2, exportWh: 99);
        for (int i = 0; i < 3; i++)
        {
            Assert.Equal(7, LenientReadingPeek.TrySequence(early));
            Assert.Equal(123_456_789, LenientReadingPeek.TrySequence(late));
            // Cut inside the payload: the reader fails midway and must leave nothing behind for the next message.
            Assert.Null(LenientReadingPeek.TrySequence(late[..(late.Length - 80)]));
            Assert.Null(LenientReadingPeek.TrySequence([0xd2, 0x84]));
            Assert.Equal(7, LenientReadingPeek.TrySequence(early));
        }
    }

    [Fact]
    public void A_payload_sent_in_indefinite_length_chunks_still_gives_its_sequence()
    {
        using Ed25519Signer key = Ed25519Signer.Generate();
        byte[] reading = TestGrid.Reading(key, "m01", 42, importWh: 1);
        // tag 18, array(4), protected bstr, {4: kid}, then the payload: rewrite it as one chunk of an indefinite byte string.
        var original = new System.Formats.Cbor.CborReader(reading);
        original.ReadTag();
        original.ReadStartArray();
        byte[] protectedHeader = original.ReadByteString();
        original.ReadStartMap();
        original.ReadInt32();
        byte[] kid = original.ReadByteString();
        original.ReadEndMap();
        byte[] payload = original.ReadByteString();
        var lax = new System.Formats.Cbor.CborWriter(System.Formats.Cbor.CborConformanceMode.Lax);
        lax.WriteTag((System.Formats.Cbor.CborTag)18);
        lax.WriteStartArray(4);
        lax.WriteByteString(protectedHeader);
        lax.WriteStartMap(1);
        lax.WriteInt32(4);
        lax.WriteByteString(kid);
        lax.WriteEndMap();
        lax.WriteStartIndefiniteLengthByteString();
        lax.WriteByteString(payload.AsSpan(0, 10));
        lax.WriteByteString(payload.AsSpan(10));
        lax.WriteEndIndefiniteLengthByteString();
        lax.WriteByteString(new byte[64]);
        lax.WriteEndArray();
        Assert.Equal(42, LenientReadingPeek.TrySequence(lax.Encode()));
    }

    [Theory]
    [InlineData("cg/chain-1/meters/m01/readings", "m01")]
    [InlineData("cg/chain-1/meters/a-much-longer-meter-id/readings", "a-much-longer-meter-id")]
    [InlineData("cg/chain-1/meters/m01/acks", null)]
    [InlineData("cg/chain-2/meters/m01/readings", null)]
    [InlineData("cg/chain-1/meters//readings", null)]
    [InlineData("cg/chain-1/meters/m+/readings", null)]
    [InlineData("cg/chain-1/meters/#/readings", null)]
    [InlineData("cg/chain-1/meters/m01/readings/extra", null)]
    [InlineData("cg/chain-1/meters/m01", null)]
    [InlineData("xx/chain-1/meters/m01/readings", null)]
    [InlineData("cg/chain-1/houses/m01/readings", null)]
    [InlineData("cg/chain-1x/meters/m01/readings", null)]
    public void The_meter_of_a_readings_topic(string topic, string? meter) =>
        Assert.Equal(meter, new MeterTopics("chain-1").MeterOf(topic, MeterTopics.ReadingsLevel));
}
