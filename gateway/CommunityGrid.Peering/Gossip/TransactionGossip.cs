using System;

namespace CommunityGrid.Peering.Gossip;

/// <summary>
/// Mempool gossip on one channel: a transaction published here or received from a peer is passed on to every other
/// peer the first time this node sees it, so a transaction sent to any gateway reaches every gateway, and each
/// node's host hears of it once. Consensus messages are not relayed here: their re-gossip is the host's decision.
/// </summary>
public sealed class TransactionGossip
{
    private readonly IPeerNetwork network;
    private readonly SeenSet seen;

    public byte Channel { get; }

    public TransactionGossip(IPeerNetwork network, byte channel, int seenCapacity = 100_000)
    {
        ArgumentNullException.ThrowIfNull(network);
        this.network = network;
        Channel = channel;
        seen = new SeenSet(seenCapacity);
    }

    /// <summary>A transaction that reached this node from outside the peer network (a meter, the API).
    /// Returns false (and sends nothing) when it was already seen.</summary>
    public bool Publish(byte[] transaction)
    {
        if (!seen.Add(transaction))
        {
            return false;
        }
        network.Broadcast(Channel, transaction);
        return true;
    }

    /// <summary>
    /// A message received on <see cref="Channel"/>. True when it is new: the host should take it into its mempool;
    /// it has been passed on to every peer but the sender. False: a duplicate, already handled.
    /// </summary>
    public bool Accept(PeerMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (message.Channel != Channel)
        {
            throw new ArgumentException($"message on channel {message.Channel} given to the gossip of channel {Channel}", nameof(message));
        }
        if (!seen.Add(message.Payload))
        {
            return false;
        }
        network.BroadcastExcept(message.From, Channel, message.Payload);
        return true;
    }
}
