using System;
using System.IO;
using CommunityGrid.Formats.Signing;
using CommunityGrid.Meter.Display;
using CommunityGrid.Meter.Linux.Mqtt;
using CommunityGrid.Meter.Linux.Runtime;
using CommunityGrid.Meter.Linux.Storage;
using CommunityGrid.Meter.Linux.Tests.Gateway;
using CommunityGrid.Meter.Messaging;
using CommunityGrid.Meter.Queue;

namespace CommunityGrid.Meter.Linux.Tests.Runtime;

/// <summary>
/// The Linux meter's downlink with acks signed the gateway's way (System.Formats.Cbor, NSec) and files in a real data
/// directory (issue 15 case 6): a rejected reading leaves the queue but its LCD page says rejected, with the reason,
/// also after a restart; the rejection is logged and recorded in rejected.log.
/// </summary>
public sealed class DownlinkHandlerTests : IDisposable
{
    private const string ChainId = "communitygrid-test";
    private const string MeterId = "meter-0042";
    private readonly string _directory = Directory.CreateTempSubdirectory("cg-downlink-").FullName;
    private readonly Ed25519Signer _gateway = Ed25519Signer.Generate();

    public void Dispose()
    {
        _gateway.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    private (DownlinkHandler Handler, ReadingQueue Queue, MeterDisplayState Display) Open()
    {
        var files = new DirectoryFileStore(_directory);
        var queue = new ReadingQueue(files, new QueueOptions());
        queue.Open();
        var display = new MeterDisplayState { LastAcknowledgedSequence = queue.LastAcknowledged };
        var handler = new DownlinkHandler(ChainId, MeterId, new TrustedSigners(new[] { _gateway.PublicKey }), queue, display, files, _directory);
        return (handler, queue, display);
    }

    private ReceivedMessage Ack(long sequence, int status, string? reason) =>
        new(MqttTopics.Acks(ChainId, MeterId), GatewayMessages.SignAck(new GatewayMessages.Ack(ChainId, MeterId, sequence, status, 12, 0, reason), _gateway));

    [Fact]
    public void A_rejected_reading_shows_as_rejected_with_its_reason_on_the_lcd_and_after_a_restart()
    {
        var (handler, queue, display) = Open();
        for (long s = 1; s <= 3; s++) queue.Append(s, new byte[] { (byte)s });
        handler.Handle(Ack(1, 0, null));
        Assert.Equal("Acked         #1", new LcdRenderer(16, 2).Render(LcdPage.LastReading, display)[0]);

        // A reason with a character above U+FFFF, as a gateway may send it.
        handler.Handle(Ack(2, 2, "DecreasingRegister: import below the enrolled register \U0001F50C"));
        Assert.Equal(1, queue.Count);
        Assert.Equal(new[] { "Rejected      #2", "DecreasingRegist" }, new LcdRenderer(16, 2).Render(LcdPage.LastReading, display));
        Assert.Contains("seq=2 block=12 reason=DecreasingRegister: import below", File.ReadAllText(Path.Combine(_directory, "rejected.log")));

        var (_, _, afterRestart) = Open();
        Assert.Equal(2, afterRestart.LastAcknowledgedSequence);
        Assert.True(afterRestart.LastAcknowledgedWasRejected);
        Assert.Equal("Reading REJECTED    ", new LcdRenderer(20, 4).Render(LcdPage.LastReading, afterRestart)[0]);
    }
}
