using System;
using CommunityGrid.Meter.Display;
using CommunityGrid.Meter.Messaging;
using CommunityGrid.Meter.Queue;
using CommunityGrid.Meter.Storage;
using CommunityGrid.Meter.Tests.Queue;

namespace CommunityGrid.Meter.Core.Tests.Messaging;

/// <summary>
/// The downlink both runtimes apply (issue 15 case 6): a rejected reading leaves the queue like any acknowledged one,
/// but the LCD shows it as rejected, with the chain's reason, also after a reboot.
/// </summary>
public sealed class GatewayDownlinkTests
{
    private readonly MemoryFileStore _store = new();
    private readonly MeterDisplayState _display = new();
    private readonly ReadingQueue _queue;

    public GatewayDownlinkTests()
    {
        _queue = QueueKit.Open(_store);
        QueueKit.AppendRange(_queue, 1, 5);
    }

    private GatewayDownlink Downlink(MeterDisplayState? display = null) =>
        new(MessagingExamples.ChainId, MessagingExamples.MeterId, new TrustedSigners(new[] { MessagingExamples.GatewayPublicKey }), _queue, display ?? _display, _store);

    private static byte[] Ack(long sequence, AckStatus status, string? reason = null, string meterId = MessagingExamples.MeterId) =>
        GatewayAckCodec.Sign(new GatewayAck(MessagingExamples.ChainId, meterId, sequence, status, 9, status == AckStatus.Rejected ? 0 : 1, reason), MessagingExamples.GatewaySeed);

    private static string[] Page(MeterDisplayState state, int columns, int rows) => new LcdRenderer(columns, rows).Render(LcdPage.LastReading, state);

    [Fact]
    public void A_rejected_reading_is_released_but_shown_as_rejected_with_its_reason()
    {
        GatewayDownlink downlink = Downlink();
        GatewayAck ack = downlink.ApplyAck(Ack(2, AckStatus.Rejected, "DecreasingRegister: import 100 < initial 5000"), out bool released);

        Assert.True(released);
        Assert.Equal(AckStatus.Rejected, ack.Status);
        Assert.Equal(2, _queue.ReleasedThrough);
        Assert.Equal(2, _display.LastAcknowledgedSequence);
        Assert.True(_display.LastAcknowledgedWasRejected);
        Assert.Equal(new[] { "Rejected      #2", "DecreasingRegist" }, Page(_display, 16, 2));
        Assert.Equal(new[] { "Reading REJECTED    ", "Reading           #2", "DecreasingRegister: ", "import 100 < initial" }, Page(_display, 20, 4));
    }

    [Fact]
    public void The_rejection_survives_a_reboot_and_a_later_committed_reading_replaces_it_on_the_page()
    {
        Downlink().ApplyAck(Ack(3, AckStatus.Rejected, "FutureInterval: interval end 1782040500000 > block time"), out _);

        var afterReboot = new MeterDisplayState { LastAcknowledgedSequence = QueueKit.Open(_store).LastAcknowledged };
        Downlink(afterReboot).Load();
        Assert.True(afterReboot.LastAcknowledgedWasRejected);
        Assert.Equal("FutureInterval: interval end 1782040500000 > block time", afterReboot.LastRejectionReason);

        Downlink().ApplyAck(Ack(4, AckStatus.Committed), out bool released);
        Assert.True(released);
        Assert.False(_display.LastAcknowledgedWasRejected);
        Assert.Equal("Acked         #4", Page(_display, 16, 2)[0]);
    }

    [Fact]
    public void On_a_light_client_meter_a_committed_ack_releases_nothing_but_a_rejection_still_does()
    {
        GatewayDownlink downlink = Downlink();
        downlink.ReleasesOnCommitAcks = false;
        downlink.ApplyAck(Ack(4, AckStatus.Committed), out bool committed);
        downlink.ApplyAck(Ack(4, AckStatus.AlreadyCommitted), out bool duplicate);
        Assert.False(committed || duplicate);
        Assert.Equal(0, _queue.ReleasedThrough);
        downlink.ApplyAck(Ack(2, AckStatus.Rejected, "DecreasingRegister"), out bool rejected);
        Assert.True(rejected);
        Assert.Equal(2, _queue.ReleasedThrough);
    }

    [Fact]
    public void A_balance_the_light_client_verified_is_not_replaced_by_signed_display_data()
    {
        _display.LightClientOn = true;
        _display.HasBalance = true;
        _display.BalanceMinor = -500;
        _display.BalanceVerified = true;
        Downlink().ApplyDisplay(GatewayDisplaySigned(2150, 99_999));
        Assert.Equal((-500L, true, 2150L), (_display.BalanceMinor, _display.BalanceVerified, _display.PriceMinorPerKwh));
    }

    private static byte[] GatewayDisplaySigned(long price, long balance) =>
        DisplayInfoCodec.Sign(new DisplayInfo(MessagingExamples.ChainId, MessagingExamples.MeterId, price, balance, 12), MessagingExamples.GatewaySeed);

    [Fact]
    public void A_repeated_rejection_of_a_released_reading_changes_nothing()
    {
        Downlink().ApplyAck(Ack(4, AckStatus.Committed), out _);
        Downlink().ApplyAck(Ack(3, AckStatus.Rejected, "late duplicate"), out bool released);
        Assert.False(released);
        Assert.Equal(0, _display.LastRejectedSequence);
        Assert.False(_display.LastAcknowledgedWasRejected);
    }

    [Fact]
    public void Foreign_or_forged_acks_change_nothing()
    {
        GatewayDownlink downlink = Downlink();
        Assert.Throws<MessageFormatException>(() => downlink.ApplyAck(Ack(2, AckStatus.Rejected, "x", meterId: "meter-0002"), out _));
        byte[] otherSeed = new byte[32];
        byte[] foreign = GatewayAckCodec.Sign(new GatewayAck(MessagingExamples.ChainId, MessagingExamples.MeterId, 2, AckStatus.Rejected, 9, 0, "x"), otherSeed);
        Assert.Throws<UntrustedSignerException>(() => downlink.ApplyAck(foreign, out _));
        Assert.Equal(0, _queue.ReleasedThrough);
        Assert.Equal(0, _display.LastRejectedSequence);
    }

    [Fact]
    public void Display_data_shows_price_and_balance()
    {
        byte[] cose = DisplayInfoCodec.Sign(new DisplayInfo(MessagingExamples.ChainId, MessagingExamples.MeterId, 2150, -1234, 7), MessagingExamples.GatewaySeed);
        Downlink().ApplyDisplay(cose);
        Assert.Equal((true, 2150L, true, -1234L), (_display.HasPrice, _display.PriceMinorPerKwh, _display.HasBalance, _display.BalanceMinor));
    }
}
