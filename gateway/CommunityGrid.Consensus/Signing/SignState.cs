using System;
using System.Collections.Generic;
using System.Formats.Cbor;
using CommunityGrid.Consensus.Messages;

namespace CommunityGrid.Consensus.Signing;

/// <summary>
/// What a validator last signed (its high-water mark) and its lock at that height: CometBFT's
/// last-sign state plus the part of the consensus WAL that safety needs. Encoding:
/// [height, round, type, message (wire bytes), lockedRound (-1 = none), lockedBlockId / null,
/// earlier message of the same height and round (wire bytes) / null, [lock proof prevote (wire bytes) ...]].
/// </summary>
public sealed class SignState
{
    private const string What = "sign state";

    public SignState(long height, int round, MessageType type, byte[] message, int lockedRound, BlockId? lockedBlockId, byte[]? earlierInRound = null, IReadOnlyList<byte[]>? lockProof = null)
    {
        ArgumentNullException.ThrowIfNull(message);
        Height = height;
        Round = round;
        Type = type;
        Message = message;
        LockedRound = lockedRound;
        LockedBlockId = lockedBlockId;
        EarlierInRound = earlierInRound;
        LockProof = lockProof ?? Array.Empty<byte[]>();
    }

    public long Height { get; }
    public int Round { get; }
    public MessageType Type { get; }

    /// <summary>The wire bytes of the signed message: re-sent as they are after a restart.</summary>
    public byte[] Message { get; }

    /// <summary>The round of the last precommit for a block at <see cref="Height"/> (line 38 locks exactly then), or -1.</summary>
    public int LockedRound { get; }
    public BlockId? LockedBlockId { get; }

    /// <summary>
    /// The message signed before <see cref="Message"/> in the same height and round (the prevote under a
    /// precommit), so a restarted node can re-send both: peers that missed its prevote before it crashed
    /// still need it to reach 2f+1 in this round.
    /// </summary>
    public byte[]? EarlierInRound { get; }

    /// <summary>
    /// The 2f+1 prevotes for <see cref="LockedBlockId"/> in <see cref="LockedRound"/> that justified the lock
    /// (the proof-of-lock): after a restart the node re-proposes the locked block with this round as its
    /// validRound, and the others need these prevotes to accept it (line 28).
    /// </summary>
    public IReadOnlyList<byte[]> LockProof { get; }

    /// <summary>Orders (height, round, type) lexicographically: a validator only ever signs upwards.</summary>
    public int CompareSlot(long height, int round, MessageType type)
    {
        if (Height != height) return Height.CompareTo(height);
        if (Round != round) return Round.CompareTo(round);
        return ((int)Type).CompareTo((int)type);
    }

    /// <summary>The last signed vote, or null when the last message was a proposal.</summary>
    public SignedVote? LastVote => Type == MessageType.Proposal ? null : SignedVote.Decode(Message);

    /// <summary>The prevote signed before a last precommit of the same round, if any.</summary>
    public SignedVote? EarlierVote => Type == MessageType.Precommit && EarlierInRound is { } earlier && earlier.Length > 0 && earlier[1] == (byte)MessageType.Prevote
        ? SignedVote.Decode(earlier)
        : null;

    public byte[] Encode()
    {
        CborWriter writer = Cbor.Writer();
        writer.WriteStartArray(8);
        writer.WriteInt64(Height);
        writer.WriteInt32(Round);
        writer.WriteInt32((int)Type);
        writer.WriteByteString(Message);
        writer.WriteInt32(LockedRound);
        Cbor.WriteBlockIdOrNil(writer, LockedBlockId);
        if (EarlierInRound is null) writer.WriteNull(); else writer.WriteByteString(EarlierInRound);
        writer.WriteStartArray(LockProof.Count);
        foreach (byte[] prevote in LockProof) writer.WriteByteString(prevote);
        writer.WriteEndArray();
        writer.WriteEndArray();
        return writer.Encode();
    }

    public static SignState Decode(ReadOnlyMemory<byte> bytes) => Cbor.Decode(What, bytes, Read, state => state.Encode());

    private static SignState Read(CborReader reader)
    {
        Cbor.ExpectArray(reader, 8, What);
        long height = Cbor.ReadHeight(reader);
        int round = Cbor.ReadRound(reader);
        ulong type = reader.ReadUInt64();
        if (type < 1 || type > 3) throw new ConsensusFormatException($"{What}: message type {type} unknown");
        byte[] message = reader.ReadByteString();
        long lockedRound = reader.ReadInt64();
        if (lockedRound < -1 || lockedRound > round) throw new ConsensusFormatException($"{What}: locked round {lockedRound} out of range");
        BlockId? lockedBlockId = Cbor.ReadBlockIdOrNil(reader);
        byte[]? earlier = null;
        if (reader.PeekState() == System.Formats.Cbor.CborReaderState.Null) reader.ReadNull(); else earlier = reader.ReadByteString();
        int count = reader.ReadStartArray() ?? throw new ConsensusFormatException($"{What}: indefinite lock proof");
        var proof = new List<byte[]>();
        for (int i = 0; i < count; i++) proof.Add(reader.ReadByteString());
        reader.ReadEndArray();
        reader.ReadEndArray();
        return new SignState(height, round, (MessageType)type, message, (int)lockedRound, lockedBlockId, earlier, proof);
    }
}
