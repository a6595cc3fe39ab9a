using System;
using System.Formats.Cbor;
using CommunityGrid.Chain.Blocks;
using CommunityGrid.Chain.Encoding;
using CommunityGrid.Consensus;
using CommunityGrid.Consensus.Messages;

namespace CommunityGrid.Node.Consensus;

/// <summary>
/// What gateways send each other over the peer network (docs/consensus.md §5): one kind byte, then canonical CBOR.
/// Channel 1 carries proposals (with their block) and votes, channel 2 readings as signed (droppable: meters resend),
/// channel 3 block sync: a node's height, a request for a run of blocks, and blocks with the commit that made them
/// final; channel 4 the other transactions as signed (never dropped); channel 5 which peers a gateway is connected to
/// (<see cref="CommunityGrid.Peering.Gossip.PeerLinks"/>: the gossip relays a peer's transaction only where that peer has no link).
/// </summary>
public static class ConsensusWire
{
    public const byte ConsensusChannel = 1;
    public const byte TransactionChannel = 2;
    public const byte SyncChannel = 3;

    /// <summary>
    /// Administrative and governance transactions (everything but readings), never dropped: unlike a reading, which
    /// its meter resends, such a transaction is sent once, and its signer's later nonces could commit first through
    /// another gateway and make it unappliable for good.
    /// </summary>
    public const byte AdminTransactionChannel = 4;

    /// <summary>A gateway's connected peers, sent on every change; a gateway of an older version ignores the channel.</summary>
    public const byte LinksChannel = 5;

    public const byte ProposalKind = 1;
    public const byte VoteKind = 2;
    public const byte StatusKind = 1;
    public const byte RequestKind = 2;
    public const byte BlockKind = 3;

    /// <summary>The value consensus agrees on: [header bstr, body bstr]; its id is the header hash.</summary>
    public static ConsensusBlock ToConsensus(BlockHeader header, BlockBody body)
    {
        CborWriter w = Cbor.Writer();
        w.WriteStartArray(2);
        w.WriteByteString(header.Encode());
        w.WriteByteString(body.Encode());
        w.WriteEndArray();
        return new ConsensusBlock(new BlockId(header.Hash()), header.TimeMs, w.Encode());
    }

    /// <exception cref="ChainFormatException">not [header, body] in canonical CBOR.</exception>
    public static (BlockHeader Header, BlockBody Body) FromConsensus(byte[] bytes) => Cbor.Decode("consensus block", bytes, r =>
    {
        if (Cbor.ReadArrayHeader(r, "consensus block") != 2) throw new ChainFormatException("consensus block: must be [header, body]");
        BlockHeader header = BlockHeader.Decode(r.ReadByteString());
        BlockBody body = BlockBody.Decode(r.ReadByteString());
        r.ReadEndArray();
        return (header, body);
    });

    public static byte[] Proposal(SignedProposal proposal, ConsensusBlock block) => Tagged(ProposalKind, w =>
    {
        w.WriteStartArray(2);
        w.WriteByteString(proposal.Encode());
        w.WriteByteString(block.Bytes);
        w.WriteEndArray();
    });

    public static byte[] Vote(SignedVote vote) => Tagged(VoteKind, w => w.WriteEncodedValue(vote.Encode()));

    public static byte[] Status(long height) => Tagged(StatusKind, w => w.WriteInt64(height));

    public static byte[] Request(long fromHeight, int count) => Tagged(RequestKind, w =>
    {
        w.WriteStartArray(2);
        w.WriteInt64(fromHeight);
        w.WriteInt32(count);
        w.WriteEndArray();
    });

    public static byte[] Block(Block block) => Tagged(BlockKind, w =>
    {
        w.WriteStartArray(3);
        w.WriteByteString(block.Header.Encode());
        w.WriteByteString(block.Body.Encode());
        w.WriteByteString(block.Commit.Encode());
        w.WriteEndArray();
    });

    /// <exception cref="ChainFormatException">the payload is not a message of its channel; the sender is faulty.</exception>
    public static ConsensusMessage DecodeConsensus(byte[] payload)
    {
        if (payload.Length < 2) throw new ChainFormatException("consensus message: empty");
        byte[] body = payload.AsSpan(1).ToArray();
        try
        {
            switch (payload[0])
            {
                case ProposalKind:
                    return Cbor.Decode("proposal message", body, r =>
                    {
                        if (Cbor.ReadArrayHeader(r, "proposal message") != 2) throw new ChainFormatException("proposal message: must be [proposal, block]");
                        SignedProposal proposal = SignedProposal.Decode(r.ReadByteString());
                        byte[] blockBytes = r.ReadByteString();
                        r.ReadEndArray();
                        (BlockHeader header, BlockBody blockBody) = FromConsensus(blockBytes);
                        return new ConsensusMessage(proposal, ToConsensus(header, blockBody), null);
                    });
                case VoteKind:
                    return new ConsensusMessage(null, null, SignedVote.Decode(body));
                default:
                    throw new ChainFormatException($"consensus message: unknown kind {payload[0]}");
            }
        }
        catch (ConsensusFormatException e)
        {
            throw new ChainFormatException($"consensus message: {e.Message}");
        }
    }

    /// <exception cref="ChainFormatException">the payload is not a sync message.</exception>
    public static SyncMessage DecodeSync(byte[] payload)
    {
        if (payload.Length < 2) throw new ChainFormatException("sync message: empty");
        byte[] body = payload.AsSpan(1).ToArray();
        return payload[0] switch
        {
            StatusKind => Cbor.Decode("status message", body, r => new SyncMessage(Cbor.ReadNonNegative(r, "height"), 0, null)),
            RequestKind => Cbor.Decode("block request", body, r =>
            {
                if (Cbor.ReadArrayHeader(r, "block request") != 2) throw new ChainFormatException("block request: must be [from, count]");
                long from = Cbor.ReadNonNegative(r, "from height");
                int count = r.ReadInt32();
                r.ReadEndArray();
                return new SyncMessage(from, count, null);
            }),
            BlockKind => Cbor.Decode("sync block", body, r =>
            {
                if (Cbor.ReadArrayHeader(r, "sync block") != 3) throw new ChainFormatException("sync block: must be [header, body, commit]");
                var block = new Block(BlockHeader.Decode(r.ReadByteString()), BlockBody.Decode(r.ReadByteString()), BlockCommits.Decode(r.ReadByteString(), "sync block commit"));
                r.ReadEndArray();
                return new SyncMessage(block.Height, 0, block);
            }),
            _ => throw new ChainFormatException($"sync message: unknown kind {payload[0]}"),
        };
    }

    public static byte KindOf(byte[] payload) => payload.Length == 0 ? (byte)0 : payload[0];

    private static byte[] Tagged(byte kind, Action<CborWriter> write)
    {
        CborWriter w = Cbor.Writer();
        write(w);
        byte[] encoded = w.Encode();
        var message = new byte[encoded.Length + 1];
        message[0] = kind;
        encoded.CopyTo(message, 1);
        return message;
    }
}

/// <summary>A proposal with its block, or a vote.</summary>
public sealed record ConsensusMessage(SignedProposal? Proposal, ConsensusBlock? Block, SignedVote? Vote);

/// <summary>Status: <see cref="Height"/>; request: blocks from <see cref="Height"/>, <see cref="Count"/> of them; or a block.</summary>
public sealed record SyncMessage(long Height, int Count, Block? Block);
