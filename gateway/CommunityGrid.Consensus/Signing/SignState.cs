using System;
using System.Formats.Cbor;
using CommunityGrid.Consensus.Messages;

namespace CommunityGrid.Consensus.Signing;

/// <summary>
/// What a validator last signed (its high-water mark) and its lock at that height: CometBFT's
/// last-sign state plus the part of the consensus WAL that safety needs. Encoding:
/// [height, round, type, message (wire bytes), lockedRound (-1 = none), lockedBlockId / null].
/// </summary>
public sealed class SignState
{
    private const string What = "sign state";

    public SignState(long height, int round, MessageType type, byte[] message, int lockedRound, BlockId? lockedBlockId)
    {
        ArgumentNullException.ThrowIfNull(message);
        Height = height;
        Round = round;
        Type = type;
        Message = message;
        LockedRound = lockedRound;
        LockedBlockId = lockedBlockId;
    }

    public long Height { get; }
    public int Round { get; }
    public MessageType Type { get; }

    /// <summary>The wire bytes of the signed message: re-sent as they are after a restart.</summary>
    public byte[] Message { get; }

    /// <summary>The round of the last precommit for a block at <see cref="Height"/> (line 38 locks exactly then), or -1.</summary>
    public int LockedRound { get; }
    public BlockId? LockedBlockId { get; }

    /// <summary>Orders (height, round, type) lexicographically: a validator only ever signs upwards.</summary>
    public int CompareSlot(long height, int round, MessageType type)
    {
        if (Height != height) return Height.CompareTo(height);
        if (Round != round) return Round.CompareTo(round);
        return ((int)Type).CompareTo((int)type);
    }

    /// <summary>The last signed vote, or null when the last message was a proposal.</summary>
    public SignedVote? LastVote => Type == MessageType.Proposal ? null : SignedVote.Decode(Message);

    public byte[] Encode()
    {
        CborWriter writer = Cbor.Writer();
        writer.WriteStartArray(6);
        writer.WriteInt64(Height);
        writer.WriteInt32(Round);
        writer.WriteInt32((int)Type);
        writer.WriteByteString(Message);
        writer.WriteInt32(LockedRound);
        Cbor.WriteBlockIdOrNil(writer, LockedBlockId);
        writer.WriteEndArray();
        return writer.Encode();
    }

    public static SignState Decode(ReadOnlyMemory<byte> bytes) => Cbor.Decode(What, bytes, Read, state => state.Encode());

    private static SignState Read(CborReader reader)
    {
        Cbor.ExpectArray(reader, 6, What);
        long height = Cbor.ReadHeight(reader);
        int round = Cbor.ReadRound(reader);
        ulong type = reader.ReadUInt64();
        if (type < 1 || type > 3) throw new ConsensusFormatException($"{What}: message type {type} unknown");
        byte[] message = reader.ReadByteString();
        long lockedRound = reader.ReadInt64();
        if (lockedRound < -1 || lockedRound > round) throw new ConsensusFormatException($"{What}: locked round {lockedRound} out of range");
        BlockId? lockedBlockId = Cbor.ReadBlockIdOrNil(reader);
        reader.ReadEndArray();
        return new SignState(height, round, (MessageType)type, message, (int)lockedRound, lockedBlockId);
    }
}
