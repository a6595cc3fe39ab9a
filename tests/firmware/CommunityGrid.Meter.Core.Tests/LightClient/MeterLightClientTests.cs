using System.Linq;
using CommunityGrid.Meter.Configuration;
using CommunityGrid.Meter.Display;
using CommunityGrid.Meter.LightClient;
using CommunityGrid.Meter.Messaging;
using CommunityGrid.Meter.Queue;
using CommunityGrid.Meter.Storage;
using CommunityGrid.Meter.Tests.Configuration;
using CommunityGrid.Protocol.Crypto;

namespace CommunityGrid.Meter.Core.Tests.LightClient;

/// <summary>
/// The meter releases a reading and shows a balance as verified only when a proof message verifies in full against
/// a header committed by more than two thirds of the set it trusts; a lying gateway changes nothing.
/// </summary>
public sealed class MeterLightClientTests
{
    internal sealed class Meter
    {
        public Meter(ProofBlocks blocks, MemoryFileStore? store = null, long queued = 3)
        {
            Store = store ?? new MemoryFileStore();
            Queue = new ReadingQueue(Store, new QueueOptions());
            Queue.Open();
            for (long s = Queue.HighestSequence + 1; s <= queued; s++) Queue.Append(s, blocks.Reading(s));
            Client = new MeterLightClient(Validators.ChainId, ProofBlocks.MeterId, blocks.MeterKey, blocks.Validators.SetEncoding(), 0, 4, 2880, Queue, Display, Store);
            Client.Load();
        }

        public MemoryFileStore Store { get; }
        public ReadingQueue Queue { get; }
        public MeterDisplayState Display { get; } = new();
        public MeterLightClient Client { get; }

        public void AssertNothingChanged()
        {
            Assert.Equal(0, Queue.ReleasedThrough);
            Assert.Equal(3, Queue.Count);
            Assert.False(Display.HasBalance);
            Assert.False(Display.BalanceVerified);
            Assert.False(Display.HasPrice);
            Assert.False(Display.PriceVerified);
        }
    }

    [Fact]
    public void An_honest_message_releases_through_the_proved_sequence_and_shows_the_balance_verified_at_its_height()
    {
        using var set = new Validators(4, 1);
        var blocks = new ProofBlocks(set);
        var meter = new Meter(blocks);
        ProofOutcome outcome = meter.Client.Apply(blocks.Message(blocks.Block(5, [1, 2], lastSequence: 2, balance: -1234)), 3);
        Assert.True(outcome.IsValid, outcome.Reason);
        Assert.True(outcome.Released);
        Assert.Equal(2, meter.Queue.ReleasedThrough);
        Assert.Equal(3, meter.Queue.Peek()!.Sequence);
        Assert.Equal((true, -1234L, 5L), (meter.Display.BalanceVerified, meter.Display.BalanceMinor, meter.Display.VerifiedHeight));
        // 3 signature checks (a quorum was sent), the header hash, two state paths and one tx path.
        Assert.Equal(3, meter.Client.Verifier.Cost.SignatureChecks);
    }

    [Fact]
    public void A_wrong_balance_is_refused_and_nothing_is_released()
    {
        using var set = new Validators(4, 1);
        var blocks = new ProofBlocks(set);
        var meter = new Meter(blocks);
        ProofOutcome outcome = meter.Client.Apply(blocks.Message(blocks.Block(5, [1, 2], 2, balance: -1234), balance: 100_000), 3);
        Assert.Equal(LightClientVerdict.ProofMismatch, outcome.Verdict);
        meter.AssertNothingChanged();
    }

    [Fact]
    public void A_reading_claimed_committed_but_not_in_the_block_is_refused()
    {
        using var set = new Validators(4, 1);
        var blocks = new ProofBlocks(set);
        var meter = new Meter(blocks);
        // The committed block holds only reading 1; the gateway claims 3 with a forged entry, then with another tx's path.
        ProofBlocks.Committed block = blocks.Block(5, [1], 1, 0);
        Assert.Equal(LightClientVerdict.ProofMismatch, meter.Client.Apply(blocks.Message(block, entry: ProofBlocks.MeterEntry(blocks.MeterKey, 3)), 3).Verdict);
        // The path of another transaction of the block (index 0) offered as reading 1's: refused.
        byte[] lie = blocks.Message(blocks.Block(6, [1], 1, 0), readingIndex: 0);
        Assert.Equal(LightClientVerdict.ProofMismatch, meter.Client.Apply(lie, 3).Verdict);
        meter.AssertNothingChanged();
    }

    [Fact]
    public void A_header_without_a_valid_commit_is_refused_whatever_its_proofs_say()
    {
        using var set = new Validators(4, 1);
        using var strangers = new Validators(4, 50);
        var blocks = new ProofBlocks(set);
        var meter = new Meter(blocks);
        ProofBlocks.Committed block = blocks.Block(5, [1, 2, 3], 3, 999);
        byte[] foreign = strangers.Certify(5, 0, block.Header.Hash(), strangers.All()).Encode();
        Assert.Equal(LightClientVerdict.ForeignSigner, meter.Client.Apply(blocks.Message(block, certificate: foreign), 3).Verdict);
        byte[] two = set.Certify(5, 0, block.Header.Hash(), 0, 1).Encode();
        Assert.Equal(LightClientVerdict.NotEnoughSigners, meter.Client.Apply(blocks.Message(block, certificate: two), 3).Verdict);
        byte[] otherBlock = set.Certify(5, 0, blocks.Block(5, [1], 1, 0).Header.Hash(), set.All()).Encode();
        Assert.Equal(LightClientVerdict.WrongBlock, meter.Client.Apply(blocks.Message(block, certificate: otherBlock), 3).Verdict);
        meter.AssertNothingChanged();
        Assert.Equal(0, meter.Display.VerifiedHeight);
    }

    [Fact]
    public void An_entry_with_another_key_or_registers_other_than_the_queued_reading_releases_nothing()
    {
        using var set = new Validators(4, 1);
        var blocks = new ProofBlocks(set);
        var meter = new Meter(blocks);
        ProofBlocks.Committed stolen = blocks.Block(5, [], 2, 0, entryKey: Enumerable.Repeat((byte)9, 32).ToArray());
        Assert.Equal(LightClientVerdict.WrongMeter, meter.Client.Apply(blocks.Message(stolen), 3).Verdict);
        // Block 6 truly commits an entry "sequence 2" with registers other than this meter's reading 2 (no tx path sent).
        ProofBlocks.Committed block = blocks.Block(6, [], 2, 0, importOffset: 1);
        ProofOutcome outcome = meter.Client.Apply(blocks.Message(block), 3);
        Assert.Equal(LightClientVerdict.ProofMismatch, outcome.Verdict);
        Assert.Contains("registers", outcome.Reason);
        meter.AssertNothingChanged();
    }

    [Fact]
    public void An_older_header_is_refused_and_the_same_header_again_costs_no_signature_check()
    {
        using var set = new Validators(4, 1);
        var blocks = new ProofBlocks(set);
        var meter = new Meter(blocks);
        Assert.True(meter.Client.Apply(blocks.Message(blocks.Block(5, [1], 1, 10)), 3).IsValid);
        Assert.Equal(LightClientVerdict.OlderHeader, meter.Client.Apply(blocks.Message(blocks.Block(4, [1, 2], 2, 50)), 3).Verdict);
        Assert.Equal(10, meter.Display.BalanceMinor);
        meter.Client.Verifier.Cost.Reset();
        Assert.True(meter.Client.Apply(blocks.Message(blocks.Block(5, [1], 1, 10)), 3).IsValid);
        Assert.Equal(0, meter.Client.Verifier.Cost.SignatureChecks);
    }

    [Fact]
    public void The_verified_state_survives_a_restart_and_ages_by_the_meter_interval_counter()
    {
        using var set = new Validators(4, 1);
        var blocks = new ProofBlocks(set);
        var first = new Meter(blocks);
        Assert.True(first.Client.Apply(blocks.Message(blocks.Block(5, [1], 1, 10)), 3).IsValid);
        var again = new Meter(blocks, first.Store);
        Assert.Equal(5, again.Client.Verifier.LatestVerifiedHeight);
        Assert.Equal(5, again.Display.VerifiedHeight);
        Assert.Equal(3, again.Client.Verifier.VerifiedAtInterval);
        // A replay of block 4 after the restart is still refused: heights only go up.
        Assert.Equal(LightClientVerdict.OlderHeader, again.Client.Apply(blocks.Message(blocks.Block(4, [1], 1, 10)), 4).Verdict);
        Assert.True(again.Client.Apply(blocks.Message(blocks.Block(5, [1], 1, 10)), 4).IsValid);
        Assert.True(again.Display.BalanceVerified);
        again.Client.Refresh(3 + 4);
        Assert.True(again.Display.BalanceVerified);
        again.Client.Refresh(3 + 5);
        Assert.False(again.Display.BalanceVerified);
    }

    [Fact]
    public void A_set_change_announced_by_a_verified_header_is_followed_to_the_next_block()
    {
        using var genesis = new Validators(4, 1);
        using var next = new Validators(4, 20);
        var blocks = new ProofBlocks(genesis);
        var meter = new Meter(blocks);
        ProofBlocks.Committed announcing = blocks.Block(5, [1], 1, 10, validatorSetHash: next.SetHash());
        // Without the set in the message the meter verifies the header but cannot step across.
        Assert.True(meter.Client.Apply(blocks.Message(announcing), 3).IsValid);
        Assert.Equal(genesis.SetHash(), meter.Client.Verifier.TrustedSet.Hash);
        Assert.Equal(LightClientVerdict.SetHashMismatch, meter.Client.Apply(blocks.Message(announcing, nextSet: genesis.SetEncoding()), 3).Verdict);
        Assert.True(meter.Client.Apply(blocks.Message(announcing, nextSet: next.SetEncoding()), 3).IsValid);
        Assert.Equal(next.SetHash(), meter.Client.Verifier.TrustedSet.Hash);
        var newBlocks = new ProofBlocks(next);
        ProofBlocks.Committed after = newBlocks.Block(6, [2], 2, 20);
        Assert.True(meter.Client.Apply(newBlocks.Message(after), 4).IsValid);
        Assert.Equal(2, meter.Queue.ReleasedThrough);
        // The old set alone no longer commits anything.
        Assert.Equal(LightClientVerdict.ForeignSigner, meter.Client.Apply(blocks.Message(blocks.Block(7, [3], 3, 30, validatorSetHash: next.SetHash())), 5).Verdict);
        Assert.Equal(next.SetHash(), new Meter(blocks, meter.Store).Client.Verifier.TrustedSet.Hash);
    }

    [Fact]
    public void Messages_for_another_meter_or_malformed_change_nothing()
    {
        using var set = new Validators(4, 1);
        var blocks = new ProofBlocks(set);
        var meter = new Meter(blocks);
        Assert.Equal(LightClientVerdict.WrongMeter, meter.Client.Apply(blocks.Message(blocks.Block(5, [1], 1, 10), meterId: "meter-0002"), 3).Verdict);
        Assert.Equal(LightClientVerdict.Malformed, meter.Client.Apply(new byte[] { 0xa0 }, 3).Verdict);
        meter.AssertNothingChanged();
    }

    [Fact]
    public void The_lcd_marks_figures_that_are_not_proved_and_names_the_verified_height()
    {
        var state = new MeterDisplayState { LightClientOn = true, HasBalance = true, BalanceMinor = -1234, HasPrice = true, PriceMinorPerKwh = 21, VerifiedHeight = 0 };
        var large = new LcdRenderer(20, 4);
        string[] unverified = large.Render(LcdPage.Balance, state);
        Assert.EndsWith("-12.34?", unverified[1].TrimEnd());
        Assert.EndsWith("none", unverified[2].TrimEnd());
        state.BalanceVerified = true;
        state.VerifiedHeight = 57;
        string[] verified = large.Render(LcdPage.Balance, state);
        Assert.EndsWith("-12.34", verified[1].TrimEnd());
        Assert.EndsWith("#57", verified[2].TrimEnd());
        Assert.Contains("#57", new LcdRenderer(16, 2).Render(LcdPage.Balance, state)[0]);
        Assert.EndsWith("0.21?", large.Render(LcdPage.Price, state)[1].TrimEnd());
    }

    [Fact]
    public void After_a_move_the_meter_falls_back_to_signed_commit_acks_and_the_lcd_stops_naming_a_verified_height()
    {
        using var set = new Validators(4, 1);
        var blocks = new ProofBlocks(set);
        var meter = new Meter(blocks);
        byte[] gatewaySeed = Enumerable.Repeat((byte)0x42, 32).ToArray();
        var downlink = new GatewayDownlink(Validators.ChainId, ProofBlocks.MeterId, new TrustedSigners(new[] { Ed25519.PublicKeyFromSeed(gatewaySeed) }),
            meter.Queue, meter.Display, meter.Store) { ReleasesOnCommitAcks = false };
        byte[] Ack(long sequence) => GatewayAckCodec.Sign(new GatewayAck(Validators.ChainId, ProofBlocks.MeterId, sequence, AckStatus.Committed, 9, 1, null), gatewaySeed);
        downlink.ApplyAck(Ack(1), out bool releasedBefore);
        Assert.False(releasedBefore);
        Assert.True(meter.Display.LightClientOn);

        meter.Client.FallBackToAcks(downlink);
        downlink.ApplyAck(Ack(2), out bool releasedAfter);
        Assert.True(releasedAfter);
        Assert.Equal(2, meter.Queue.ReleasedThrough);
        Assert.False(meter.Display.LightClientOn);
        meter.Display.HasBalance = true;
        meter.Display.BalanceMinor = -1234;
        Assert.DoesNotContain("?", new LcdRenderer(20, 4).Render(LcdPage.Balance, meter.Display)[1]);
    }

    [Fact]
    public void Start_makes_the_configured_light_client_with_commit_acks_releasing_nothing_and_changes_nothing_when_none_is_configured()
    {
        using var set = new Validators(4, 1);
        var blocks = new ProofBlocks(set);
        var meter = new Meter(blocks);
        var downlink = new GatewayDownlink(Validators.ChainId, ProofBlocks.MeterId, new TrustedSigners(new[] { new byte[32] }), meter.Queue, meter.Display, meter.Store);
        string[] ids = { "chain.id = " + Validators.ChainId, "meter.id = " + ProofBlocks.MeterId };
        var display = new MeterDisplayState();
        Assert.Null(MeterLightClient.Start(MeterConfig.Parse(ConfigTexts.With(ids)), blocks.MeterKey, 0, meter.Queue, display, meter.Store, downlink));
        Assert.True(downlink.ReleasesOnCommitAcks);
        Assert.False(display.LightClientOn);

        meter.Client.Apply(blocks.Message(blocks.Block(5, [1, 2], lastSequence: 2, balance: -1234)), 3);
        MeterConfig config = MeterConfig.Parse(ConfigTexts.With(ids.Append("lightclient.validators = " + Esp32ProofFixtureTests.Expected().Validators).ToArray()));
        MeterLightClient? started = MeterLightClient.Start(config, blocks.MeterKey, 3, meter.Queue, display, meter.Store, downlink);
        Assert.NotNull(started);
        Assert.False(downlink.ReleasesOnCommitAcks);
        Assert.Equal((true, 5L), (display.LightClientOn, display.VerifiedHeight)); // the state the first client stored
        Assert.Equal(set.SetHash(), started.Verifier.TrustedSet.Hash);
    }

    [Fact]
    public void An_outcome_reads_as_one_console_line()
    {
        using var set = new Validators(4, 1);
        var blocks = new ProofBlocks(set);
        var meter = new Meter(blocks);
        ProofOutcome refused = meter.Client.Apply(blocks.Message(blocks.Block(5, [1, 2], lastSequence: 2, balance: -1234), balance: 99), 3);
        Assert.StartsWith("refused (" + refused.Verdict + ") at height 5: ", refused.ToString());
        Assert.EndsWith("; released through 0", refused.ToString());
        ProofOutcome verified = meter.Client.Apply(blocks.Message(blocks.Block(5, [1, 2], lastSequence: 2, balance: -1234)), 3);
        Assert.Equal("verified at height 5 (chain sequence 2): verified; released through 2", verified.ToString());
    }
}
