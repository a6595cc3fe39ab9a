using System;
using CommunityGrid.Formats.Signing;
using CommunityGrid.Meter.Messaging;
using CommunityGrid.Node.Display;

namespace CommunityGrid.Node.Tests.Display;

/// <summary>The gateway's display encoding against the meter's portable codec.</summary>
public sealed class MeterDisplayTests
{
    [Fact]
    public void The_protocol_example_encodes_to_the_documented_bytes()
    {
        var display = new MeterDisplay("communitygrid-test", "meter-0001", 2150, -1234, 7);
        Assert.Equal("a50172636f6d6d756e697479677269642d74657374026a6d657465722d3030303103190866043904d10507",
            Convert.ToHexStringLower(display.EncodePayload()));
    }

    [Theory]
    [InlineData(2150, -1234, 7)]
    [InlineData(0, 0, 0)]
    [InlineData(-24, 23, 24)]
    [InlineData(-1, long.MaxValue, long.MaxValue)]
    [InlineData(long.MinValue, long.MinValue, 1)]
    public void A_signed_display_is_byte_for_byte_what_the_meter_codec_signs_and_it_opens_it(long price, long balance, long height)
    {
        byte[] seed = new byte[Ed25519Signer.SeedSize];
        seed[0] = 7;
        using Ed25519Signer gateway = Ed25519Signer.FromSeed(seed);
        var display = new MeterDisplay("node-test", "m01", price, balance, height);
        var expected = new DisplayInfo("node-test", "m01", price, balance, height);

        byte[] signed = display.Sign(gateway);

        Assert.Equal(DisplayInfoCodec.EncodePayload(expected), display.EncodePayload());
        Assert.Equal(DisplayInfoCodec.Sign(expected, seed), signed);
        DisplayInfo opened = DisplayInfoCodec.Open(signed, new TrustedSigners([gateway.PublicKey]));
        Assert.Equal((price, balance, height), (opened.PriceMinorPerKwh, opened.BalanceMinor, opened.LastBlockHeight));
        Assert.True(opened.IsFor("node-test", "m01"));
    }
}
