using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using CommunityGrid.Formats.Signing;
using CommunityGrid.Meter.Messaging;
using CommunityGrid.Node.Acks;
using CommunityGrid.Node.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;
using AckStatus = CommunityGrid.Node.Acks.AckStatus;

namespace CommunityGrid.Node.Tests.Acks;

/// <summary>
/// The order and merging of AckSender's queue (docs/protocol.md §7.3), held while the broker is slow: a publisher
/// that keeps the first ack until the test has queued the rest, then records what is signed and sent, opened with the
/// meter's own decoder. (ReleaseAckTests shows the same through the embedded broker and real MQTT sessions.)
/// </summary>
public sealed class AckSenderTests
{
    private const string Chain = "node-test";

    [Fact]
    public async Task Waiting_release_acks_of_a_meter_merge_into_the_highest_and_never_overtake_its_rejection()
    {
        using Ed25519Signer gateway = Ed25519Signer.Generate();
        var seen = new ConcurrentQueue<ReadingAck>();
        var publisher = new HeldPublisher(gateway.PublicKey, takesReleaseAcks: true);
        AckSender sender = new(gateway, NullLogger.Instance, seen.Enqueue);
        sender.Attach(publisher);

        sender.Enqueue(Committed("m01", 1));
        await publisher.FirstArrived.Task.WaitAsync(TimeSpan.FromSeconds(10));
        // While ack 1 is on its way: one block with readings 2 and 3, a rejection of 4, a block with 5, a resend of 2.
        sender.EnqueueAll([Committed("m01", 2), Committed("m01", 3), Committed("m02", 1)]);
        sender.Enqueue(ReadingAck.Rejected(Chain, "m01", 4, 3, "BadSignature: test"));
        sender.EnqueueAll([Committed("m01", 5)]);
        sender.Enqueue(new ReadingAck(Chain, "m01", 2, AckStatus.AlreadyCommitted, 2, 0, null));
        publisher.Release.SetResult();
        await sender.DisposeAsync();

        Assert.Equal(7, seen.Count);
        Assert.Equal(
            ["m01 1 Committed", "m01 3 Committed", "m02 1 Committed", "m01 4 Rejected", "m01 5 Committed"],
            publisher.Sent.Select(a => $"{a.MeterId} {a.Sequence} {(AckStatus)a.Status}").ToArray());
        Assert.Equal(5, sender.Sent);
        Assert.Equal(2, sender.Merged);
        Assert.Equal(0, sender.NotNeeded);
    }

    [Fact]
    public async Task A_meter_that_takes_no_release_acks_gets_only_its_rejections_and_no_signature_is_made_for_the_rest()
    {
        using Ed25519Signer gateway = Ed25519Signer.Generate();
        var seen = new ConcurrentQueue<ReadingAck>();
        var publisher = new HeldPublisher(gateway.PublicKey, takesReleaseAcks: false);
        publisher.Release.SetResult();
        AckSender sender = new(gateway, NullLogger.Instance, seen.Enqueue);
        sender.Attach(publisher);

        sender.EnqueueAll([Committed("m01", 1), Committed("m01", 2)]);
        sender.Enqueue(ReadingAck.Rejected(Chain, "m01", 3, 2, "BadSignature: test"));
        sender.Enqueue(new ReadingAck(Chain, "m01", 1, AckStatus.AlreadyCommitted, 2, 0, null));
        await sender.DisposeAsync();

        Assert.Equal(4, seen.Count);
        Assert.Equal(["m01 3 Rejected"], publisher.Sent.Select(a => $"{a.MeterId} {a.Sequence} {(AckStatus)a.Status}").ToArray());
        Assert.Equal(2, sender.NotNeeded);
        Assert.Equal(["m01", "m01"], publisher.Asked.ToArray());
    }

    private static ReadingAck Committed(string meterId, long sequence) => new(Chain, meterId, sequence, AckStatus.Committed, 2, (int)sequence, null);

    /// <summary>Holds the first ack until <see cref="Release"/>; records every ack sent (verified and decoded as a meter does) and every meter asked about.</summary>
    private sealed class HeldPublisher(byte[] gatewayKey, bool takesReleaseAcks) : IAckPublisher
    {
        private readonly TrustedSigners signers = new([gatewayKey]);

        public TaskCompletionSource FirstArrived { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public TaskCompletionSource Release { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public ConcurrentQueue<GatewayAck> Sent { get; } = new();
        public ConcurrentQueue<string> Asked { get; } = new();

        public async Task PublishAckAsync(string meterId, byte[] signedAck, CancellationToken cancellationToken)
        {
            FirstArrived.TrySetResult();
            await Release.Task.WaitAsync(cancellationToken);
            GatewayAck ack = GatewayAckCodec.Open(signedAck, signers);
            Assert.True(ack.IsFor(Chain, meterId));
            Sent.Enqueue(ack);
        }

        public ValueTask<bool> MeterTakesReleaseAcksAsync(string meterId, CancellationToken cancellationToken)
        {
            Asked.Enqueue(meterId);
            return ValueTask.FromResult(takesReleaseAcks);
        }
    }
}
