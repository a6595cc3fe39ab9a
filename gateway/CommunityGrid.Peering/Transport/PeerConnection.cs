using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Net.Security;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using CommunityGrid.Peering.Handshake;

namespace CommunityGrid.Peering.Transport;

/// <summary>
/// One authenticated connection: a reader that frames what arrives into the peer's receive queue, a writer that
/// drains the peer's send queue (pinging when idle), and the dead-peer checks: no frame for the idle timeout, or a
/// write the peer's socket took no byte of for that long. Ends once, with the first reason.
/// </summary>
internal sealed class PeerConnection
{
    /// <summary>
    /// How many bytes of queued frames the writer sends in one write. Large enough to carry a burst of gossip in a few
    /// TLS records; small next to the send queue, since what the writer has taken can no longer be dropped.
    /// </summary>
    internal const int MaxBatchBytes = 64 * 1024;

    private readonly TcpClient tcp;
    private readonly SslStream tls;
    private readonly PeerNetworkOptions options;
    private readonly PeerCounters counters;
    private readonly CancellationTokenSource stop = new();
    private readonly TaskCompletionSource<string> ended = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long lastFrameTicks = Stopwatch.GetTimestamp();
    /// <summary>When the write in progress started; 0 while the writer is not writing.</summary>
    private long writeStartedTicks;

    public PeerKey Peer { get; }
    public DateTimeOffset ConnectedSince { get; } = DateTimeOffset.UtcNow;
    public SendQueue Outgoing { get; }
    public ReceiveQueue Incoming { get; }

    public bool IsOpen => !ended.Task.IsCompleted;

    /// <summary>Completes with the reason the connection ended.</summary>
    public Task<string> Ended => ended.Task;

    public PeerConnection(PeerKey peer, TcpClient tcp, SslStream tls, PeerNetworkOptions options, PeerCounters counters, ReceiveQueue incoming)
    {
        Peer = peer;
        this.tcp = tcp;
        this.tls = tls;
        this.options = options;
        this.counters = counters;
        Outgoing = new SendQueue(options.SendQueueBytes, options.SendQueueMessages);
        Incoming = incoming;
    }

    public void Start()
    {
        _ = Task.Run(ReadLoopAsync);
        _ = Task.Run(WriteLoopAsync);
        _ = Task.Run(WatchdogLoopAsync);
    }

    public void Close(string reason)
    {
        if (!ended.TrySetResult(reason))
        {
            return;
        }
        stop.Cancel();
        tls.Dispose();
        tcp.Dispose();
    }

    private async Task ReadLoopAsync()
    {
        try
        {
            var reader = new FrameReader(tls, options.MaxFrameBytes);
            while (!stop.IsCancellationRequested)
            {
                Frame? frame = await reader.ReadAsync(stop.Token).ConfigureAwait(false);
                if (frame is null)
                {
                    Close("the peer closed the connection");
                    return;
                }
                Interlocked.Exchange(ref lastFrameTicks, Stopwatch.GetTimestamp());
                counters.Received(FrameCodec.HeaderBytes + 1 + frame.Value.Payload.Length, isApplication: frame.Value.Channel != ControlMessages.Channel);
                if (frame.Value.Channel == ControlMessages.Channel)
                {
                    HandleControl(frame.Value.Payload);
                    continue;
                }
                await Incoming.EnqueueAsync(new PeerMessage(Peer, frame.Value.Channel, frame.Value.Payload), stop.Token).ConfigureAwait(false);
                // Time spent waiting for the host is not the peer's silence.
                Interlocked.Exchange(ref lastFrameTicks, Stopwatch.GetTimestamp());
            }
        }
        catch (PeerProtocolException e)
        {
            Close(e.Message);
        }
        catch (Exception e)
        {
            Close(stop.IsCancellationRequested ? "closed" : $"read failed: {e.Message}");
        }
    }

    private void HandleControl(byte[] payload)
    {
        if (payload.Length == 1 && payload[0] == ControlMessages.PingKind)
        {
            return;
        }
        // A refusal after the handshake (the peer is done with this node), or anything else: a broken peer.
        ControlMessages.ThrowIfRefusal(payload);
        throw new PeerProtocolException("unexpected control message after the handshake");
    }

    private async Task WriteLoopAsync()
    {
        try
        {
            var batch = new List<OutgoingMessage>();
            while (!stop.IsCancellationRequested)
            {
                batch.Clear();
                int taken = await Outgoing.DequeueBatchAsync(batch, MaxBatchBytes, options.KeepaliveInterval, stop.Token).ConfigureAwait(false);
                if (taken == 0)
                {
                    batch.Add(new OutgoingMessage(ControlMessages.Channel, ControlMessages.Ping));
                }
                Interlocked.Exchange(ref writeStartedTicks, Stopwatch.GetTimestamp());
                await FrameCodec.WriteBatchAsync(tls, batch, options.MaxFrameBytes, stop.Token).ConfigureAwait(false);
                Interlocked.Exchange(ref writeStartedTicks, 0);
                foreach (OutgoingMessage message in batch)
                {
                    counters.Sent(FrameCodec.HeaderBytes + 1 + message.Payload.Length, isApplication: taken > 0);
                }
            }
        }
        catch (Exception e)
        {
            Close(stop.IsCancellationRequested ? "closed" : $"write failed: {e.Message}");
        }
    }

    /// <summary>
    /// The dead-peer checks, apart from the reader and writer because either may be blocked on the socket: both checks
    /// run on time whatever the loops are waiting for, and closing the socket ends a blocked write or read.
    /// </summary>
    private async Task WatchdogLoopAsync()
    {
        using var timer = new PeriodicTimer(options.KeepaliveInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(stop.Token).ConfigureAwait(false))
            {
                long writeStarted = Interlocked.Read(ref writeStartedTicks);
                if (writeStarted != 0 && Stopwatch.GetElapsedTime(writeStarted) > options.IdleTimeout)
                {
                    Close($"the peer took no bytes for {options.IdleTimeout.TotalSeconds:0.#} s: peer stalled");
                    return;
                }
                if (IsSilentTooLong())
                {
                    Close($"no frame from the peer for {options.IdleTimeout.TotalSeconds:0.#} s: peer presumed dead");
                    return;
                }
            }
        }
        catch (OperationCanceledException)
        {
            // The connection closed.
        }
    }

    private bool IsSilentTooLong()
    {
        if (Incoming.WaitingForHost)
        {
            return false;
        }
        TimeSpan silent = Stopwatch.GetElapsedTime(Interlocked.Read(ref lastFrameTicks));
        return silent > options.IdleTimeout;
    }
}
