using System;
using System.Formats.Cbor;
using CommunityGrid.Formats.Signing;

namespace CommunityGrid.Consensus.Messages;

/// <summary>
/// A prevote or precommit: PREVOTE/PRECOMMIT(h, r, id(v) or nil) of the paper, signed by one validator.
/// Signed bytes: ["communitygrid/consensus/v1", chainId, type, height, round, blockId / null];
/// wire: [type, height, round, blockId / null, validator key, signature]. The round is signed, so
/// precommits of different rounds can never be pooled into one certificate.
/// </summary>
public sealed class SignedVote
{
    private const string What = "consensus vote";

    public SignedVote(MessageType type, long height, int round, BlockId? blockId, byte[] validator, byte[] signature)
    {
        if (type != MessageType.Prevote && type != MessageType.Precommit) throw new ArgumentException("a vote is a prevote or a precommit", nameof(type));
        if (height < 1) throw new ArgumentOutOfRangeException(nameof(height), "heights start at 1");
        if (round < 0) throw new ArgumentOutOfRangeException(nameof(round), "rounds start at 0");
        if (validator is null || validator.Length != ValidatorSet.KeySize) throw new ArgumentException("a validator key is 32 bytes", nameof(validator));
        if (signature is null || signature.Length != Ed25519Signer.SignatureSize) throw new ArgumentException("a signature is 64 bytes", nameof(signature));
        Type = type;
        Height = height;
        Round = round;
        BlockId = blockId;
        Validator = validator;
        Signature = signature;
    }

    public MessageType Type { get; }
    public long Height { get; }
    public int Round { get; }

    /// <summary>The block voted for; null is a vote for nil.</summary>
    public BlockId? BlockId { get; }
    public byte[] Validator { get; }
    public byte[] Signature { get; }

    public static byte[] SignBytes(string chainId, MessageType type, long height, int round, BlockId? blockId)
    {
        CborWriter writer = Cbor.Writer();
        writer.WriteStartArray(6);
        writer.WriteTextString(Cbor.DomainTag);
        writer.WriteTextString(chainId);
        writer.WriteInt32((int)type);
        writer.WriteInt64(height);
        writer.WriteInt32(round);
        Cbor.WriteBlockIdOrNil(writer, blockId);
        writer.WriteEndArray();
        return writer.Encode();
    }

    public static SignedVote Create(string chainId, MessageType type, long height, int round, BlockId? blockId, Ed25519Signer key)
    {
        byte[] signature = key.Sign(SignBytes(chainId, type, height, round, blockId));
        return new SignedVote(type, height, round, blockId, key.PublicKey, signature);
    }

    /// <summary>
    /// Verifies the signature for <paramref name="chainId"/>. The result is remembered per instance (messages are
    /// immutable once built or decoded), so one decoded message handed to several consumers is verified once.
    /// </summary>
    public bool VerifySignature(string chainId)
    {
        if (verifiedFor is { } known && string.Equals(known.ChainId, chainId, StringComparison.Ordinal)) return known.Valid;
        bool valid = Ed25519Verifier.Verify(Validator, SignBytes(chainId, Type, Height, Round, BlockId), Signature);
        verifiedFor = (chainId, valid);
        return valid;
    }

    private (string ChainId, bool Valid)? verifiedFor;

    /// <summary>Same signer, height, round and type: the slot a validator may fill once.</summary>
    public bool SameSlot(SignedVote other) =>
        Type == other.Type && Height == other.Height && Round == other.Round && Validator.AsSpan().SequenceEqual(other.Validator);

    public bool SameContent(SignedVote other) =>
        SameSlot(other) && BlockId.SameOrBothNil(BlockId, other.BlockId) && Signature.AsSpan().SequenceEqual(other.Signature);

    public byte[] Encode()
    {
        CborWriter writer = Cbor.Writer();
        Write(writer);
        return writer.Encode();
    }

    internal void Write(CborWriter writer)
    {
        writer.WriteStartArray(6);
        writer.WriteInt32((int)Type);
        writer.WriteInt64(Height);
        writer.WriteInt32(Round);
        Cbor.WriteBlockIdOrNil(writer, BlockId);
        writer.WriteByteString(Validator);
        writer.WriteByteString(Signature);
        writer.WriteEndArray();
    }

    /// <exception cref="ConsensusFormatException">not a vote in deterministic CBOR; the signature is not checked.</exception>
    public static SignedVote Decode(ReadOnlyMemory<byte> bytes) => Cbor.Decode(What, bytes, Read, vote => vote.Encode());

    internal static SignedVote Read(CborReader reader)
    {
        Cbor.ExpectArray(reader, 6, What);
        ulong type = reader.ReadUInt64();
        if (type != (ulong)MessageType.Prevote && type != (ulong)MessageType.Precommit)
        {
            throw new ConsensusFormatException($"{What}: type {type} is neither prevote (2) nor precommit (3)");
        }
        long height = Cbor.ReadHeight(reader);
        int round = Cbor.ReadRound(reader);
        BlockId? blockId = Cbor.ReadBlockIdOrNil(reader);
        byte[] validator = Cbor.ReadFixedBytes(reader, ValidatorSet.KeySize, "validator key");
        byte[] signature = Cbor.ReadFixedBytes(reader, Ed25519Signer.SignatureSize, "signature");
        reader.ReadEndArray();
        return new SignedVote((MessageType)type, height, round, blockId, validator, signature);
    }

    public override string ToString() =>
        $"{Type}(h{Height} r{Round} {BlockId?.Short ?? "nil"} by {Convert.ToHexStringLower(Validator, 0, 4)})";
}
