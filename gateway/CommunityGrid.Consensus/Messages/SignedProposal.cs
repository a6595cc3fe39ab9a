using System;
using System.Formats.Cbor;
using CommunityGrid.Formats.Signing;

namespace CommunityGrid.Consensus.Messages;

/// <summary>
/// PROPOSAL(h, r, v, validRound) of the paper, signed by proposer(h, r). It names the block by id and
/// carries the block time it claims; the block's bytes travel next to it (gossip) and must hash to
/// the id. Signed bytes: ["communitygrid/consensus/v1", chainId, 1, height, round, blockId,
/// validRound (-1 = none), timeMs]; wire: [1, height, round, blockId, validRound, timeMs, proposer key, signature].
/// </summary>
public sealed class SignedProposal
{
    private const string What = "consensus proposal";

    public SignedProposal(long height, int round, BlockId blockId, int validRound, long timeMs, byte[] proposer, byte[] signature)
    {
        ArgumentNullException.ThrowIfNull(blockId);
        if (height < 1) throw new ArgumentOutOfRangeException(nameof(height), "heights start at 1");
        if (round < 0) throw new ArgumentOutOfRangeException(nameof(round), "rounds start at 0");
        if (validRound < -1 || validRound >= round) throw new ArgumentOutOfRangeException(nameof(validRound), "validRound is -1 or an earlier round");
        if (proposer is null || proposer.Length != ValidatorSet.KeySize) throw new ArgumentException("a validator key is 32 bytes", nameof(proposer));
        if (signature is null || signature.Length != Ed25519Signer.SignatureSize) throw new ArgumentException("a signature is 64 bytes", nameof(signature));
        Height = height;
        Round = round;
        BlockId = blockId;
        ValidRound = validRound;
        TimeMs = timeMs;
        Proposer = proposer;
        Signature = signature;
    }

    public long Height { get; }
    public int Round { get; }
    public BlockId BlockId { get; }

    /// <summary>The round in which the proposer saw 2f+1 prevotes for this block, or -1 for a new block.</summary>
    public int ValidRound { get; }
    public long TimeMs { get; }
    public byte[] Proposer { get; }
    public byte[] Signature { get; }

    public static byte[] SignBytes(string chainId, long height, int round, BlockId blockId, int validRound, long timeMs)
    {
        CborWriter writer = Cbor.Writer();
        writer.WriteStartArray(8);
        writer.WriteTextString(Cbor.DomainTag);
        writer.WriteTextString(chainId);
        writer.WriteInt32((int)MessageType.Proposal);
        writer.WriteInt64(height);
        writer.WriteInt32(round);
        writer.WriteByteString(blockId.Bytes);
        writer.WriteInt32(validRound);
        writer.WriteInt64(timeMs);
        writer.WriteEndArray();
        return writer.Encode();
    }

    public static SignedProposal Create(string chainId, long height, int round, BlockId blockId, int validRound, long timeMs, Ed25519Signer key)
    {
        byte[] signature = key.Sign(SignBytes(chainId, height, round, blockId, validRound, timeMs));
        return new SignedProposal(height, round, blockId, validRound, timeMs, key.PublicKey, signature);
    }

    /// <summary>
    /// Verifies the signature for <paramref name="chainId"/>. The result is remembered per instance (messages are
    /// immutable once built or decoded), so one decoded message handed to several consumers is verified once.
    /// </summary>
    public bool VerifySignature(string chainId)
    {
        if (verifiedFor is { } known && string.Equals(known.ChainId, chainId, StringComparison.Ordinal)) return known.Valid;
        bool valid = Ed25519Verifier.Verify(Proposer, SignBytes(chainId, Height, Round, BlockId, ValidRound, TimeMs), Signature);
        verifiedFor = (chainId, valid);
        return valid;
    }

    private (string ChainId, bool Valid)? verifiedFor;

    public byte[] Encode()
    {
        CborWriter writer = Cbor.Writer();
        writer.WriteStartArray(8);
        writer.WriteInt32((int)MessageType.Proposal);
        writer.WriteInt64(Height);
        writer.WriteInt32(Round);
        writer.WriteByteString(BlockId.Bytes);
        writer.WriteInt32(ValidRound);
        writer.WriteInt64(TimeMs);
        writer.WriteByteString(Proposer);
        writer.WriteByteString(Signature);
        writer.WriteEndArray();
        return writer.Encode();
    }

    /// <exception cref="ConsensusFormatException">not a proposal in deterministic CBOR; the signature is not checked.</exception>
    public static SignedProposal Decode(ReadOnlyMemory<byte> bytes) => Cbor.Decode(What, bytes, Read, proposal => proposal.Encode());

    private static SignedProposal Read(CborReader reader)
    {
        Cbor.ExpectArray(reader, 8, What);
        ulong type = reader.ReadUInt64();
        if (type != (ulong)MessageType.Proposal) throw new ConsensusFormatException($"{What}: type {type} is not proposal (1)");
        long height = Cbor.ReadHeight(reader);
        int round = Cbor.ReadRound(reader);
        var blockId = new BlockId(Cbor.ReadFixedBytes(reader, BlockId.Size, "block id"));
        long validRound = reader.ReadInt64();
        if (validRound < -1 || validRound >= round) throw new ConsensusFormatException($"{What}: validRound {validRound} is neither -1 nor an earlier round than {round}");
        long timeMs = reader.ReadInt64();
        byte[] proposer = Cbor.ReadFixedBytes(reader, ValidatorSet.KeySize, "proposer key");
        byte[] signature = Cbor.ReadFixedBytes(reader, Ed25519Signer.SignatureSize, "signature");
        reader.ReadEndArray();
        return new SignedProposal(height, round, blockId, (int)validRound, timeMs, proposer, signature);
    }

    public override string ToString() =>
        $"Proposal(h{Height} r{Round} {BlockId.Short} vr{ValidRound} t{TimeMs} by {Convert.ToHexStringLower(Proposer, 0, 4)})";
}
