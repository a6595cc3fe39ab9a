using System;
using System.Collections.Generic;
using CommunityGrid.Formats.Signing;
using CommunityGrid.Meter.Messaging;
using CommunityGrid.Protocol.Cose;
using CommunityGrid.Simulation.Pipeline;

namespace CommunityGrid.Simulation.Tests.Pipeline;

/// <summary>
/// Simulated meters check acks and display data with libsodium instead of the portable Ed25519 (issue 18): on genuine
/// messages, every single-bit change, random corruption and untrusted signers the two judge alike, with the same payload
/// or the same exception.
/// </summary>
public class SodiumSignedMessagesTests
{
    private static readonly byte[] GatewaySeed = Seed(1);
    private static readonly byte[] OtherSeed = Seed(2);

    [Fact]
    public void Genuine_acks_and_display_messages_open_to_the_same_payload()
    {
        (TrustedSigners portable, SodiumSignedMessages sodium) = Both();
        using Ed25519Signer gateway = Ed25519Signer.FromSeed(GatewaySeed);
        var random = new Random(18);
        for (int i = 0; i < 300; i++)
        {
            var ack = new GatewayAck("sim-community", "h" + random.Next(1, 1000) + "-grid", random.NextInt64(1, long.MaxValue),
                AckStatus.Committed, random.NextInt64(1, 1L << 40), random.Next(0, 5000), null);
            // Signed as the gateway signs (NSec) and as the meter core would (portable): both are the same bytes anyway.
            byte[] signed = CoseSign1Sodium(GatewayAckCodec.EncodePayload(ack), MessageContentTypes.Ack, gateway);
            Assert.Equal(signed, GatewayAckCodec.Sign(ack, GatewaySeed));
            Assert.Equal(portable.OpenPayload(signed, MessageContentTypes.Ack), sodium.OpenPayload(signed, MessageContentTypes.Ack));

            var display = new DisplayInfo("sim-community", "h001-grid", random.Next(0, 100), random.NextInt64(-1_000_000, 1_000_000), random.NextInt64(1, 1L << 30));
            byte[] shown = DisplayInfoCodec.Sign(display, GatewaySeed);
            Assert.Equal(portable.OpenPayload(shown, MessageContentTypes.Display), sodium.OpenPayload(shown, MessageContentTypes.Display));
        }
    }

    [Fact]
    public void Every_single_bit_flip_and_random_corruption_is_judged_alike()
    {
        (TrustedSigners portable, SodiumSignedMessages sodium) = Both();
        byte[] signed = GatewayAckCodec.Sign(new GatewayAck("sim-community", "h001-grid", 42, AckStatus.Committed, 7, 3, null), GatewaySeed);
        var variants = new List<byte[]>();
        for (int bit = 0; bit < signed.Length * 8; bit++)
        {
            byte[] flipped = (byte[])signed.Clone();
            flipped[bit / 8] ^= (byte)(1 << (bit % 8));
            variants.Add(flipped);
        }
        var random = new Random(1818);
        for (int i = 0; i < 500; i++)
        {
            byte[] corrupted = (byte[])signed.Clone();
            for (int n = random.Next(1, 6); n > 0; n--) corrupted[random.Next(corrupted.Length)] = (byte)random.Next(256);
            variants.Add(corrupted);
        }
        for (int i = 0; i < variants.Count; i++)
        {
            string portableVerdict = Verdict(() => portable.OpenPayload(variants[i], MessageContentTypes.Ack));
            Assert.Equal(portableVerdict, Verdict(() => sodium.OpenPayload(variants[i], MessageContentTypes.Ack)));
            // A changed bit anywhere changes what is signed, the signature, the kid or the shape: never accepted.
            if (i < signed.Length * 8) Assert.False(portableVerdict.StartsWith("accepted", StringComparison.Ordinal), $"bit {i} flipped was accepted");
        }
    }

    [Fact]
    public void A_message_signed_by_a_key_the_meter_does_not_trust_is_refused_by_both()
    {
        (TrustedSigners portable, SodiumSignedMessages sodium) = Both();
        byte[] forged = GatewayAckCodec.Sign(new GatewayAck("sim-community", "h001-grid", 1, AckStatus.Committed, 1, 0, null), OtherSeed);
        Assert.Throws<UntrustedSignerException>(() => portable.OpenPayload(forged, MessageContentTypes.Ack));
        Assert.Throws<UntrustedSignerException>(() => sodium.OpenPayload(forged, MessageContentTypes.Ack));
        byte[] ack = GatewayAckCodec.Sign(new GatewayAck("sim-community", "h001-grid", 1, AckStatus.Committed, 1, 0, null), GatewaySeed);
        Assert.Throws<CoseFormatException>(() => sodium.OpenPayload(ack, MessageContentTypes.Display));
    }

    private static (TrustedSigners, SodiumSignedMessages) Both()
    {
        using Ed25519Signer gateway = Ed25519Signer.FromSeed(GatewaySeed);
        return (new TrustedSigners([gateway.PublicKey]), new SodiumSignedMessages([gateway.PublicKey]));
    }

    private static string Verdict(Func<byte[]> open)
    {
        try
        {
            return "accepted " + Convert.ToHexString(open());
        }
        catch (Exception e)
        {
            return e.GetType().Name;
        }
    }

    private static byte[] CoseSign1Sodium(byte[] payload, string contentType, Ed25519Signer signer) =>
        Formats.Cose.CoseSign1Codec.Sign(payload, contentType, signer);

    private static byte[] Seed(byte fill)
    {
        byte[] seed = new byte[32];
        Array.Fill(seed, fill);
        return seed;
    }
}
