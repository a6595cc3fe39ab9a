using System;
using System.Collections.Generic;
using System.Formats.Cbor;
using CommunityGrid.Formats.Signing;

namespace CommunityGrid.Consensus.Messages;

/// <summary>
/// The proof that block <see cref="BlockId"/> was decided at <see cref="Height"/>: precommits of ONE
/// round for that block from more than two thirds of the validator set. Wire:
/// [height, round, blockId, [[validator key, signature] ...] sorted by key]; each signature is over the
/// precommit sign bytes of (height, round, blockId), so a signature from another round never verifies.
/// </summary>
public sealed class CommitCertificate
{
    private const string What = "commit certificate";

    public CommitCertificate(long height, int round, BlockId blockId, IReadOnlyList<CommitSignature> signatures)
    {
        ArgumentNullException.ThrowIfNull(blockId);
        ArgumentNullException.ThrowIfNull(signatures);
        Height = height;
        Round = round;
        BlockId = blockId;
        Signatures = signatures;
    }

    public long Height { get; }
    public int Round { get; }
    public BlockId BlockId { get; }
    public IReadOnlyList<CommitSignature> Signatures { get; }

    /// <summary>Builds the certificate from precommits; refuses mixed heights, rounds or blocks, nil votes and signers twice.</summary>
    public static CommitCertificate FromPrecommits(IEnumerable<SignedVote> precommits)
    {
        ArgumentNullException.ThrowIfNull(precommits);
        var signatures = new List<CommitSignature>();
        SignedVote? first = null;
        foreach (SignedVote vote in precommits)
        {
            first ??= vote;
            if (vote.Type != MessageType.Precommit) throw new ArgumentException($"{vote} is not a precommit");
            if (vote.BlockId is null) throw new ArgumentException($"{vote} is a precommit for nil");
            if (vote.Height != first.Height || vote.Round != first.Round || !vote.BlockId.Equals(first.BlockId))
            {
                throw new ArgumentException($"{vote} is not for the same height, round and block as {first}; a certificate holds precommits of one round for one block");
            }
            signatures.Add(new CommitSignature(vote.Validator, vote.Signature));
        }
        if (first is null) throw new ArgumentException("a certificate needs at least one precommit");
        signatures.Sort((a, b) => a.Validator.AsSpan().SequenceCompareTo(b.Validator));
        for (int i = 1; i < signatures.Count; i++)
        {
            if (signatures[i - 1].Validator.AsSpan().SequenceEqual(signatures[i].Validator))
            {
                throw new ArgumentException($"validator {Convert.ToHexStringLower(signatures[i].Validator)} precommitted twice");
            }
        }
        return new CommitCertificate(first.Height, first.Round, first.BlockId!, signatures);
    }

    /// <summary>
    /// Valid when every signer is in <paramref name="validators"/>, appears once, signed this height,
    /// round and block, and the signers are more than two thirds of the set. An empty certificate is
    /// invalid (not "not enough trust"), the tendermint-rs #650 trap.
    /// </summary>
    public CertificateCheck Verify(string chainId, ValidatorSet validators) =>
        Verify(chainId, validators, static (key, message, signature) => Ed25519Verifier.Verify(key, message, signature));

    /// <summary>
    /// As <see cref="Verify(string, ValidatorSet)"/>, each signature judged by <paramref name="verifySignature"/>
    /// (validator key, signed bytes, signature): Ed25519 itself or a memo of triples it accepted before, so that a
    /// replay checks a signature held by both a block's commit and the next block's carried copy once (issue 18).
    /// </summary>
    public CertificateCheck Verify(string chainId, ValidatorSet validators, Func<byte[], byte[], byte[], bool> verifySignature)
    {
        ArgumentNullException.ThrowIfNull(validators);
        ArgumentNullException.ThrowIfNull(verifySignature);
        if (Signatures.Count == 0) return CertificateCheck.Fail(CertificateProblem.Empty, "the certificate carries no signature");
        var seen = new bool[validators.Count];
        byte[] signBytes = SignedVote.SignBytes(chainId, MessageType.Precommit, Height, Round, BlockId);
        foreach (CommitSignature signature in Signatures)
        {
            int index = validators.IndexOf(signature.Validator);
            string who = Convert.ToHexStringLower(signature.Validator);
            if (index < 0) return CertificateCheck.Fail(CertificateProblem.ForeignSigner, $"signer {who} is not in the validator set");
            if (seen[index]) return CertificateCheck.Fail(CertificateProblem.DuplicateSigner, $"signer {who} appears twice");
            seen[index] = true;
            if (!verifySignature(signature.Validator, signBytes, signature.Signature))
            {
                return CertificateCheck.Fail(CertificateProblem.BadSignature, $"the signature of {who} is not a precommit of height {Height}, round {Round}, block {BlockId}");
            }
        }
        if (Signatures.Count < validators.Quorum)
        {
            return CertificateCheck.Fail(CertificateProblem.NotEnoughSigners, $"{Signatures.Count} of {validators.Count} validators signed; more than two thirds ({validators.Quorum}) are needed");
        }
        return CertificateCheck.Valid;
    }

    public IEnumerable<SignedVote> ToPrecommits()
    {
        foreach (CommitSignature signature in Signatures)
        {
            yield return new SignedVote(MessageType.Precommit, Height, Round, BlockId, signature.Validator, signature.Signature);
        }
    }

    public byte[] Encode()
    {
        CborWriter writer = Cbor.Writer();
        writer.WriteStartArray(4);
        writer.WriteInt64(Height);
        writer.WriteInt32(Round);
        writer.WriteByteString(BlockId.Bytes);
        writer.WriteStartArray(Signatures.Count);
        foreach (CommitSignature signature in Signatures)
        {
            writer.WriteStartArray(2);
            writer.WriteByteString(signature.Validator);
            writer.WriteByteString(signature.Signature);
            writer.WriteEndArray();
        }
        writer.WriteEndArray();
        writer.WriteEndArray();
        return writer.Encode();
    }

    /// <exception cref="ConsensusFormatException">not a certificate in deterministic CBOR with signers in strictly ascending key order.</exception>
    public static CommitCertificate Decode(ReadOnlyMemory<byte> bytes) => Cbor.Decode(What, bytes, Read, certificate => certificate.Encode());

    private static CommitCertificate Read(CborReader reader)
    {
        Cbor.ExpectArray(reader, 4, What);
        long height = Cbor.ReadHeight(reader);
        int round = Cbor.ReadRound(reader);
        var blockId = new BlockId(Cbor.ReadFixedBytes(reader, BlockId.Size, "block id"));
        int count = reader.ReadStartArray() ?? throw new ConsensusFormatException($"{What}: indefinite signature list");
        var signatures = new List<CommitSignature>(Math.Min(count, 1024));
        for (int i = 0; i < count; i++)
        {
            Cbor.ExpectArray(reader, 2, "commit signature");
            byte[] validator = Cbor.ReadFixedBytes(reader, ValidatorSet.KeySize, "validator key");
            byte[] signature = Cbor.ReadFixedBytes(reader, Ed25519Signer.SignatureSize, "signature");
            reader.ReadEndArray();
            if (signatures.Count > 0 && signatures[^1].Validator.AsSpan().SequenceCompareTo(validator) >= 0)
            {
                throw new ConsensusFormatException($"{What}: signers must be in strictly ascending key order (no signer twice)");
            }
            signatures.Add(new CommitSignature(validator, signature));
        }
        reader.ReadEndArray();
        reader.ReadEndArray();
        return new CommitCertificate(height, round, blockId, signatures);
    }
}

public sealed record CommitSignature(byte[] Validator, byte[] Signature);

public enum CertificateProblem
{
    None,
    Empty,
    ForeignSigner,
    DuplicateSigner,
    BadSignature,
    NotEnoughSigners,
}

public sealed record CertificateCheck(CertificateProblem Problem, string Reason)
{
    public static readonly CertificateCheck Valid = new(CertificateProblem.None, "valid");

    public bool IsValid => Problem == CertificateProblem.None;

    public static CertificateCheck Fail(CertificateProblem problem, string reason) => new(problem, reason);
}
