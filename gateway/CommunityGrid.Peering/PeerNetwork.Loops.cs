using System;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using CommunityGrid.Peering.Handshake;
using CommunityGrid.Peering.Transport;
using Microsoft.Extensions.Logging;

namespace CommunityGrid.Peering;

/// <summary>The two ways connections start: accepting from lower keys, dialing higher keys with backoff.</summary>
public sealed partial class PeerNetwork
{
    private async Task AcceptLoopAsync()
    {
        using var pending = new SemaphoreSlim(options.MaxPendingHandshakes);
        CancellationToken stop = stopping.Token;
        while (!stop.IsCancellationRequested)
        {
            TcpClient tcp;
            try
            {
                await pending.WaitAsync(stop).ConfigureAwait(false);
                tcp = await listener!.AcceptTcpClientAsync(stop).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                if (!stop.IsCancellationRequested)
                {
                    logger.LogError("Peer listener stopped: {Reason}", e.Message);
                }
                return;
            }
            _ = AcceptOneAsync(tcp, pending, stop);
        }
    }

    private async Task AcceptOneAsync(TcpClient tcp, SemaphoreSlim pending, CancellationToken stop)
    {
        string remote = tcp.Client.RemoteEndPoint?.ToString() ?? "?";
        try
        {
            tcp.NoDelay = true;
            (var stream, PeerKey peer) = await establisher.EstablishAsync(tcp, HandshakeRole.Listener, null, stop).ConfigureAwait(false);
            Register(stream, tcp, peer, "dialed by the peer");
        }
        catch (PeerProtocolException e)
        {
            logger.LogWarning("Refused inbound peer connection from {Remote}: {Reason}", remote, e.Message);
        }
        catch (OperationCanceledException)
        {
            // Shutting down.
        }
        catch (Exception e)
        {
            // Never let one connection's surprise end the listener's bookkeeping; say what it was.
            logger.LogError(e, "Inbound peer connection from {Remote} failed unexpectedly", remote);
        }
        finally
        {
            try
            {
                pending.Release();
            }
            catch (ObjectDisposedException)
            {
                // The accept loop ended while this handshake ran.
            }
        }
    }

    private async Task DialLoopAsync(PeerSlot slot)
    {
        using var ended = CancellationTokenSource.CreateLinkedTokenSource(stopping.Token, slot.Removed.Token);
        CancellationToken stop = ended.Token;
        var random = new Random();
        int failures = 0;
        while (!stop.IsCancellationRequested)
        {
            // Read each time: a validator-set change may have moved the validator.
            (string host, int port) = PeerValidator.SplitAddress(slot.Validator.Address);
            PeerConnection? connection = await TryDialAsync(slot, host, port, stop).ConfigureAwait(false);
            if (connection is not null)
            {
                DateTimeOffset since = DateTimeOffset.UtcNow;
                await ((Task)connection.Ended).WaitAsync(stop).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                // A connection that lived past the idle timeout was healthy: start the backoff afresh.
                failures = DateTimeOffset.UtcNow - since > options.IdleTimeout ? 0 : failures + 1;
            }
            else
            {
                failures++;
            }
            if (stop.IsCancellationRequested)
            {
                return;
            }
            TimeSpan delay = Backoff.Delay(failures - 1, options.ReconnectBaseDelay, options.ReconnectMaxDelay, random);
            await Task.Delay(delay, stop).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    private async Task<PeerConnection?> TryDialAsync(PeerSlot slot, string host, int port, CancellationToken stop)
    {
        TcpClient tcp = options.DialFrom is null ? new TcpClient() : new TcpClient(new IPEndPoint(options.DialFrom, 0));
        tcp.NoDelay = true;
        try
        {
            using (var connectDeadline = CancellationTokenSource.CreateLinkedTokenSource(stop))
            {
                connectDeadline.CancelAfter(options.HandshakeTimeout);
                await tcp.ConnectAsync(host, port, connectDeadline.Token).ConfigureAwait(false);
            }
            (var stream, PeerKey peer) = await establisher.EstablishAsync(tcp, HandshakeRole.Dialer, slot.Validator.Key, stop).ConfigureAwait(false);
            Register(stream, tcp, peer, "dialed");
            lock (gate)
            {
                return slot.Connection;
            }
        }
        catch (Exception e)
        {
            // Any failure, expected or not, ends in a backoff and a new attempt: the dial loop must never die.
            tcp.Dispose();
            if (stop.IsCancellationRequested)
            {
                return null;
            }
            string reason = e switch
            {
                OperationCanceledException => $"no TCP connection within {options.HandshakeTimeout.TotalSeconds:0.#} s",
                PeerProtocolException or SocketException => e.Message,
                _ => $"{e.GetType().Name}: {e.Message}",
            };
            bool firstOfKind;
            lock (gate)
            {
                firstOfKind = slot.LastError != reason;
                RecordError(slot, reason);
            }
            // Repeating the same failure every backoff step would flood the log of a gateway whose peer is off.
            if (firstOfKind)
            {
                logger.LogWarning("Could not connect to validator {Peer} at {Address}: {Reason}", slot.Validator.Key.Short, slot.Validator.Address, reason);
            }
            return null;
        }
    }
}
