using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using CommunityGrid.Peering.Handshake;
using CommunityGrid.Peering.Transport;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace CommunityGrid.Peering;

/// <summary>
/// The network between gateways for one node: listens on its address, dials every validator with a higher key,
/// keeps at most one authenticated connection per validator, and moves framed messages (docs/peering.md).
/// </summary>
public sealed partial class PeerNetwork : IPeerNetwork
{
    private readonly PeerNetworkOptions options;
    private readonly LocalIdentity identity;
    private volatile ValidatorDirectory directory;
    private readonly TlsSetup tls;
    private readonly ConnectionEstablisher establisher;
    private readonly ILogger logger;
    private readonly Dictionary<PeerKey, PeerSlot> slots = new();
    private readonly object gate = new();
    private readonly FairInbox inbox = new();
    private readonly CancellationTokenSource stopping = new();
    private readonly List<Task> loops = new();
    private TcpListener? listener;
    /// <summary>Dial loops run (set under <c>gate</c>); slots added later start theirs at once.</summary>
    private bool dialing;

    public PeerNetwork(PeerNetworkOptions options, ReadOnlySpan<byte> keySeed, IEnumerable<PeerValidator> validators, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        this.options = options;
        identity = new LocalIdentity(keySeed);
        directory = new ValidatorDirectory(identity.PublicKey, validators);
        foreach (PeerValidator peer in directory.Peers)
        {
            AddSlot(peer);
        }
        tls = new TlsSetup(EphemeralCertificate.Create());
        establisher = new ConnectionEstablisher(tls, new PeerHandshake(identity, () => directory, options.ChainId), options.HandshakeTimeout);
        this.logger = logger ?? NullLogger.Instance;
    }

    public PeerKey Self => identity.PublicKey;

    /// <summary>Whether this node is in the validator set it follows (false while it joins, or after it was voted out).</summary>
    public bool IsMember => directory.IsMember;

    /// <summary>Where the listener is bound (after <see cref="StartAsync"/>).</summary>
    public IPEndPoint? LocalEndPoint => listener?.LocalEndpoint as IPEndPoint;

    public event Action<PeerKey>? PeerConnected;

    public event Action<PeerKey>? PeerDisconnected;

    public IReadOnlyList<PeerStatus> Peers
    {
        get
        {
            lock (gate)
            {
                return slots.Values.OrderBy(slot => slot.Validator.Key).Select(slot => slot.ToStatus()).ToArray();
            }
        }
    }

    public Task StartAsync(CancellationToken cancellationToken = default)
    {
        if (listener is not null)
        {
            throw new InvalidOperationException("the peer network is already started");
        }
        listener = new TcpListener(ListenEndPoint());
        listener.Start();
        logger.LogInformation("Peer network of validator {Self} listening on {EndPoint}", Self.Short, listener.LocalEndpoint);
        lock (loops)
        {
            loops.Add(Task.Run(AcceptLoopAsync));
        }
        lock (gate)
        {
            dialing = true;
            foreach (PeerSlot slot in slots.Values.Where(slot => slot.Dials))
            {
                StartDialing(slot);
            }
        }
        return Task.CompletedTask;
    }

    public int Broadcast(byte channel, byte[] payload) => BroadcastExcept(null, channel, payload);

    public int BroadcastExcept(PeerKey? except, byte channel, byte[] payload)
    {
        int queued = 0;
        PeerKey[] peers;
        lock (gate)
        {
            peers = slots.Keys.ToArray();
        }
        foreach (PeerKey peer in peers)
        {
            if (!peer.Equals(except) && Send(peer, channel, payload))
            {
                queued++;
            }
        }
        return queued;
    }

    public bool Send(PeerKey peer, byte channel, byte[] payload)
    {
        ArgumentNullException.ThrowIfNull(payload);
        if (channel == ControlMessages.Channel)
        {
            throw new ArgumentException("channel 0 is the peer network's own control channel", nameof(channel));
        }
        if (payload.Length + 1 > options.MaxFrameBytes)
        {
            throw new ArgumentException($"a message of {payload.Length} bytes does not fit the maximum frame of {options.MaxFrameBytes} bytes", nameof(payload));
        }
        PeerConnection? connection;
        lock (gate)
        {
            connection = slots.TryGetValue(peer, out PeerSlot? slot) ? slot.Connection : null;
        }
        if (connection is not { IsOpen: true })
        {
            return false;
        }
        bool canDrop = options.DroppableChannels.Contains(channel);
        SendQueue.Outcome outcome = connection.Outgoing.Enqueue(new OutgoingMessage(channel, payload), canDrop);
        if (outcome == SendQueue.Outcome.Full)
        {
            connection.Close($"send queue full with undroppable messages (channel {channel}): the peer reads too slowly; "
                + "closing so that the host re-sends its state when the peer is back");
            return false;
        }
        return outcome != SendQueue.Outcome.DroppedThisMessage;
    }

    public IAsyncEnumerable<PeerMessage> ReceiveAllAsync(CancellationToken cancellationToken = default) => inbox.ReadAllAsync(cancellationToken);

    public async ValueTask DisposeAsync()
    {
        if (stopping.IsCancellationRequested)
        {
            return;
        }
        stopping.Cancel();
        listener?.Stop();
        PeerConnection[] open;
        lock (gate)
        {
            open = slots.Values.Select(slot => slot.Connection).OfType<PeerConnection>().ToArray();
        }
        foreach (PeerConnection connection in open)
        {
            connection.Close("this node is shutting down");
        }
        Task[] running;
        lock (loops)
        {
            running = loops.ToArray();
        }
        await Task.WhenAll(running).WaitAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        identity.Dispose();
        tls.Certificate.Dispose();
    }

    private IPEndPoint ListenEndPoint()
    {
        if (options.ListenEndPoint is not null)
        {
            return options.ListenEndPoint;
        }
        if (!directory.TryGet(Self, out PeerValidator own))
        {
            throw new FormatException($"this node's key {Self} is in no validator set it knows, so no address to listen on is named for it: give one (ListenEndPoint)");
        }
        (string host, int port) = PeerValidator.SplitAddress(own.Address);
        // A host name in the genesis is for the others to resolve; this node listens on every interface then.
        return new IPEndPoint(IPAddress.TryParse(host, out IPAddress? ip) ? ip : IPAddress.Any, port);
    }

    /// <summary>Makes an authenticated connection the peer's only one: an older one (half-dead after a restart) is closed.</summary>
    private void Register(SslStream stream, TcpClient tcp, PeerKey peer, string direction)
    {
        PeerSlot? slot;
        lock (gate)
        {
            slots.TryGetValue(peer, out slot);
        }
        if (slot is null)
        {
            // The validator left the set while its handshake ran.
            stream.Dispose();
            tcp.Dispose();
            return;
        }
        var connection = new PeerConnection(peer, tcp, stream, options, slot.Counters, slot.Incoming);
        PeerConnection? replaced;
        lock (gate)
        {
            replaced = slot.Connection;
            if (replaced is not null)
            {
                slot.DroppedOnEarlierConnections += replaced.Outgoing.Dropped;
            }
            slot.Connection = connection;
            slot.Connections++;
        }
        replaced?.Close("replaced by a newer connection of the same validator");
        if (stopping.IsCancellationRequested)
        {
            connection.Close("this node is shutting down");
            return;
        }
        connection.Start();
        _ = connection.Ended.ContinueWith(ended => OnEnded(slot, connection, ended.Result), TaskScheduler.Default);
        logger.LogInformation("Connected to validator {Peer} ({Address}, {Direction})", peer.Short, slot.Validator.Address, direction);
        Raise(PeerConnected, peer, nameof(PeerConnected));
    }

    private void OnEnded(PeerSlot slot, PeerConnection connection, string reason)
    {
        lock (gate)
        {
            if (!ReferenceEquals(slot.Connection, connection))
            {
                return;
            }
            slot.Connection = null;
            slot.DroppedOnEarlierConnections += connection.Outgoing.Dropped;
            if (!stopping.IsCancellationRequested)
            {
                RecordError(slot, reason);
            }
        }
        logger.LogWarning("Disconnected from validator {Peer} ({Address}): {Reason}", slot.Validator.Key.Short, slot.Validator.Address, reason);
        Raise(PeerDisconnected, slot.Validator.Key, nameof(PeerDisconnected));
    }

    private void Raise(Action<PeerKey>? handlers, PeerKey peer, string name)
    {
        try
        {
            handlers?.Invoke(peer);
        }
        catch (Exception e)
        {
            // A host handler's bug must not take the network's own bookkeeping down with it.
            logger.LogError(e, "A {Event} handler failed for validator {Peer}", name, peer.Short);
        }
    }

    private static void RecordError(PeerSlot slot, string reason)
    {
        slot.LastError = reason;
        slot.LastErrorAt = DateTimeOffset.UtcNow;
    }
}
