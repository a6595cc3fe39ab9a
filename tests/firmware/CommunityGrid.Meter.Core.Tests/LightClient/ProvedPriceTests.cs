using CommunityGrid.Meter.Display;
using CommunityGrid.Meter.LightClient;
using CommunityGrid.Meter.Messaging;
using CommunityGrid.Meter.Queue;
using CommunityGrid.Protocol.Crypto;
using LightMeter = CommunityGrid.Meter.Core.Tests.LightClient.MeterLightClientTests.Meter;

namespace CommunityGrid.Meter.Core.Tests.LightClient;

/// <summary>
/// The price of the last closed interval (state entry <c>price</c>, docs/protocol.md §7.6 key 9) is proved like the
/// balance: shown verified only when it leads to the verified header's state root, and a forged price, interval or path
/// refuses the whole message.
/// </summary>
public sealed class ProvedPriceTests
{
    [Fact]
    public void An_honest_message_shows_the_proved_price_verified_without_a_mark()
    {
        using var set = new Validators(4, 1);
        var blocks = new ProofBlocks(set);
        var meter = new LightMeter(blocks);

        ProofOutcome outcome = meter.Client.Apply(blocks.Message(blocks.Block(5, [1, 2], lastSequence: 2, balance: -1234, price: 21)), 3);

        Assert.True(outcome.IsValid, outcome.Reason);
        Assert.Equal((true, 21L, true), (meter.Display.HasPrice, meter.Display.PriceMinorPerKwh, meter.Display.PriceVerified));
        Assert.Equal("EUR/kWh         0.21", new LcdRenderer(20, 4).Render(LcdPage.Price, meter.Display)[1]);
    }

    [Theory]
    [InlineData(22L, null)]
    [InlineData(-21L, null)]
    [InlineData(null, ProofBlocks.FirstInterval - ProofBlocks.IntervalSeconds)]
    public void A_forged_price_or_interval_is_refused_and_changes_nothing(long? price, long? priceInterval)
    {
        using var set = new Validators(4, 1);
        var blocks = new ProofBlocks(set);
        var meter = new LightMeter(blocks);

        ProofOutcome outcome = meter.Client.Apply(blocks.Message(blocks.Block(5, [1, 2], 2, -1234, price: 21), price: price, priceInterval: priceInterval), 3);

        Assert.Equal(LightClientVerdict.ProofMismatch, outcome.Verdict);
        Assert.Contains("state entry price", outcome.Reason, System.StringComparison.Ordinal);
        meter.AssertNothingChanged();
    }

    [Fact]
    public void A_forged_path_or_position_is_refused_and_changes_nothing()
    {
        using var set = new Validators(4, 1);
        var blocks = new ProofBlocks(set);
        var meter = new LightMeter(blocks);
        ProofBlocks.Committed block = blocks.Block(5, [1, 2], 2, -1234, price: 21);
        var (balanceIndex, balancePath) = block.StatePath("balance/" + ProofBlocks.HouseId);
        var (priceIndex, pricePath) = block.StatePath("price");
        byte[][] flipped = (byte[][])pricePath.Clone();
        flipped[0] = (byte[])flipped[0].Clone();
        flipped[0][31] ^= 0x01;

        Assert.Equal(LightClientVerdict.ProofMismatch, meter.Client.Apply(blocks.Message(block, pricePath: flipped), 3).Verdict);
        Assert.Equal(LightClientVerdict.ProofMismatch, meter.Client.Apply(blocks.Message(block, pricePath: balancePath, priceIndex: balanceIndex), 3).Verdict);
        Assert.Equal(LightClientVerdict.ProofMismatch, meter.Client.Apply(blocks.Message(block, priceIndex: priceIndex - 1), 3).Verdict);
        meter.AssertNothingChanged();
    }

    [Fact]
    public void A_message_without_the_price_is_malformed_and_changes_nothing()
    {
        using var set = new Validators(4, 1);
        var blocks = new ProofBlocks(set);
        var meter = new LightMeter(blocks);

        ProofOutcome outcome = meter.Client.Apply(blocks.Message(blocks.Block(5, [1, 2], 2, -1234), withPrice: false), 3);

        Assert.Equal(LightClientVerdict.Malformed, outcome.Verdict);
        Assert.Contains("key 9", outcome.Reason, System.StringComparison.Ordinal);
        meter.AssertNothingChanged();
    }

    [Fact]
    public void Signed_display_data_does_not_replace_a_proved_price_and_a_stale_one_is_marked_again()
    {
        using var set = new Validators(4, 1);
        var blocks = new ProofBlocks(set);
        var meter = new LightMeter(blocks);
        byte[] gatewaySeed = new byte[32];
        gatewaySeed[0] = 0x42;
        var downlink = new GatewayDownlink(Validators.ChainId, ProofBlocks.MeterId, new TrustedSigners(new[] { Ed25519.PublicKeyFromSeed(gatewaySeed) }),
            meter.Queue, meter.Display, meter.Store) { ReleasesOnCommitAcks = false };
        byte[] Display(long price) => DisplayInfoCodec.Sign(new DisplayInfo(Validators.ChainId, ProofBlocks.MeterId, price, -1, 4), gatewaySeed);

        // Before any proof: the signed price is shown, marked unverified.
        downlink.ApplyDisplay(Display(99));
        Assert.Equal((99L, false), (meter.Display.PriceMinorPerKwh, meter.Display.PriceVerified));
        Assert.EndsWith("0.99?", new LcdRenderer(20, 4).Render(LcdPage.Price, meter.Display)[1].TrimEnd());

        Assert.True(meter.Client.Apply(blocks.Message(blocks.Block(5, [1, 2], 2, -1234, price: 21)), 3).IsValid);
        downlink.ApplyDisplay(Display(98));
        Assert.Equal((21L, true), (meter.Display.PriceMinorPerKwh, meter.Display.PriceVerified));

        // Nothing verified for longer than the stale window (4 intervals): the price is marked again.
        meter.Client.Refresh(3 + 5);
        Assert.False(meter.Display.PriceVerified);
        Assert.EndsWith("0.21?", new LcdRenderer(20, 4).Render(LcdPage.Price, meter.Display)[1].TrimEnd());
    }
}
