using System;
using System.Collections.Generic;
using System.Linq;

namespace CommunityGrid.Peering.Gossip;

/// <summary>
/// Which peers each peer says it is connected to, and this node's own connections, told to every peer on its own
/// channel whenever they change (docs/peering.md, "Mempool gossip"). <see cref="TransactionGossip"/> uses it to pass
/// a peer's transaction on only to the peers that peer is not connected to. A peer's word counts only for the copies
/// it sends itself, so a peer that lies changes only what happens to its own copies, never whether an honest peer's
/// copy is passed on.
/// Until a peer has spoken, and after it disconnects, it is taken to be connected to no one (everything is passed on).
/// </summary>
public sealed class PeerLinks
{
    /// <summary>More keys than this in one announcement is malformed: the peer is then taken as connected to no one.</summary>
    public const int MaxAnnouncedPeers = 1024;

    private readonly object gate = new();
    private readonly IPeerNetwork network;
    private readonly HashSet<PeerKey> connected = new();
    private readonly Dictionary<PeerKey, HashSet<PeerKey>> announced = new();
    private readonly List<PeerKey> known = new();
    private volatile PeerKey[] knownSnapshot = [];

    public byte Channel { get; }

    public PeerLinks(IPeerNetwork network, byte channel)
    {
        ArgumentNullException.ThrowIfNull(network);
        this.network = network;
        Channel = channel;
        network.PeerConnected += OnConnected;
        network.PeerDisconnected += OnDisconnected;
        lock (gate)
        {
            foreach (PeerStatus peer in network.Peers)
            {
                if (peer.Connected)
                {
                    connected.Add(peer.Key);
                    KnowLocked(peer.Key);
                }
            }
            AnnounceLocked();
        }
    }

    /// <summary>
    /// Every peer this node has been connected to, in the order first met (a peer's place never changes, so it can
    /// name a bit of <see cref="SeenSet.Claim"/>). Connection events may arrive out of order, so relaying tries all of
    /// them and the network tells which are connected.
    /// </summary>
    public IReadOnlyList<PeerKey> Known => knownSnapshot;

    /// <summary>True when <paramref name="peer"/> said it is connected to <paramref name="other"/> (and has not disconnected from this node since).</summary>
    public bool Says(PeerKey peer, PeerKey other)
    {
        lock (gate)
        {
            return announced.TryGetValue(peer, out HashSet<PeerKey>? links) && links.Contains(other);
        }
    }

    /// <summary>A message received on <see cref="Channel"/>: the sender's connected peers, 32-byte keys one after another.</summary>
    public void Accept(PeerMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (message.Channel != Channel)
        {
            throw new ArgumentException($"message on channel {message.Channel} given to the peer links of channel {Channel}", nameof(message));
        }
        byte[] payload = message.Payload;
        HashSet<PeerKey>? links = null;
        if (payload.Length % PeerKey.Size == 0 && payload.Length / PeerKey.Size <= MaxAnnouncedPeers)
        {
            links = new HashSet<PeerKey>();
            for (int offset = 0; offset < payload.Length; offset += PeerKey.Size)
            {
                links.Add(PeerKey.FromBytes(payload.AsSpan(offset, PeerKey.Size)));
            }
        }
        lock (gate)
        {
            if (links is null) announced.Remove(message.From);
            else announced[message.From] = links;
        }
    }

    private void OnConnected(PeerKey peer)
    {
        lock (gate)
        {
            // What the peer said is kept when a newer connection replaced an older one: its own connections to the
            // others did not change by that, and its announcement on the new connection may already be here.
            connected.Add(peer);
            KnowLocked(peer);
            AnnounceLocked();
        }
    }

    private void OnDisconnected(PeerKey peer)
    {
        lock (gate)
        {
            connected.Remove(peer);
            announced.Remove(peer);
            AnnounceLocked();
        }
    }

    private void KnowLocked(PeerKey peer)
    {
        if (!known.Contains(peer))
        {
            known.Add(peer);
            knownSnapshot = known.ToArray();
        }
    }

    /// <summary>Under the lock, so announcements are queued in the order of the changes they describe.</summary>
    private void AnnounceLocked()
    {
        PeerKey[] sorted = connected.OrderBy(key => key).ToArray();
        byte[] payload = new byte[sorted.Length * PeerKey.Size];
        for (int i = 0; i < sorted.Length; i++)
        {
            sorted[i].Bytes.CopyTo(payload.AsSpan(i * PeerKey.Size));
        }
        network.Broadcast(Channel, payload);
    }
}
