using System;
using System.Collections.Generic;

namespace CommunityGrid.Peering.Gossip;

/// <summary>
/// Mempool gossip on one channel: a transaction published here goes to every peer; one received from a peer is
/// passed on only to the peers that peer does not say it is connected to (<see cref="PeerLinks"/>), so with the full
/// mesh nothing is relayed, and a missing link is covered by the nodes on both its ends' sides (docs/peering.md,
/// "Mempool gossip"). Each copy that arrives, not only the first, is considered, and each peer is sent a
/// transaction at most once, so a peer that lies about its links cannot keep an honest copy from being passed on.
/// Each node's host hears of a transaction once. Consensus messages are not relayed here: their re-gossip is the
/// host's decision. Without <see cref="PeerLinks"/> a transaction is passed on to every peer but the sender.
/// </summary>
public sealed class TransactionGossip
{
    /// <summary>Peers past this many (in the order met) have no bit: they are sent the first copy's relay only.</summary>
    private const int MarkedPeers = 64;

    private readonly IPeerNetwork network;
    private readonly PeerLinks? links;
    private readonly SeenSet seen;

    public byte Channel { get; }

    public TransactionGossip(IPeerNetwork network, byte channel, PeerLinks? links = null, int seenCapacity = 100_000)
    {
        ArgumentNullException.ThrowIfNull(network);
        this.network = network;
        this.links = links;
        Channel = channel;
        seen = new SeenSet(seenCapacity);
    }

    /// <summary>A transaction that reached this node from outside the peer network (a meter, the API).
    /// Returns false (and sends nothing) when it was already seen.</summary>
    public bool Publish(byte[] transaction)
    {
        seen.Claim(transaction, ulong.MaxValue, out bool isNew);
        if (!isNew)
        {
            return false;
        }
        network.Broadcast(Channel, transaction);
        return true;
    }

    /// <summary>
    /// A message received on <see cref="Channel"/>. True when it is new: the host should take it into its mempool.
    /// Either way it has been passed on to the peers the rule names (see the type). False: a duplicate.
    /// </summary>
    public bool Accept(PeerMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (message.Channel != Channel)
        {
            throw new ArgumentException($"message on channel {message.Channel} given to the gossip of channel {Channel}", nameof(message));
        }
        if (links is null)
        {
            if (!seen.Add(message.Payload))
            {
                return false;
            }
            network.BroadcastExcept(message.From, Channel, message.Payload);
            return true;
        }

        IReadOnlyList<PeerKey> known = links.Known;
        ulong wanted = 0;
        ulong sender = 0;
        for (int i = 0; i < known.Count && i < MarkedPeers; i++)
        {
            PeerKey peer = known[i];
            if (peer.Equals(message.From)) sender = 1UL << i;
            else if (!links.Says(message.From, peer)) wanted |= 1UL << i;
        }
        // The sender has it: it is never sent back, whoever else relays.
        ulong claimed = seen.Claim(message.Payload, wanted | sender, out bool isNew) & wanted;
        for (int i = 0; i < known.Count; i++)
        {
            // A peer past the marked ones is sent the first copy's relay only: without a mark, later copies could circle.
            bool send = i < MarkedPeers ? (claimed & (1UL << i)) != 0 : isNew && !known[i].Equals(message.From) && !links.Says(message.From, known[i]);
            if (send) network.Send(known[i], Channel, message.Payload);
        }
        return isNew;
    }
}
