using System.Collections.Generic;
using System.Formats.Cbor;
using System.Linq;
using CommunityGrid.Chain.Encoding;
using CommunityGrid.Formats.Signing;

namespace CommunityGrid.Chain.Blocks;

/// <summary>
/// The validators' signatures that make a block final. Each signs <see cref="Message"/>, which binds the
/// signature to its purpose, chain and height as well as the header, so it cannot be reused anywhere else.
/// Canonical CBOR: [[validator key, signature], ...] sorted by key.
/// </summary>
public sealed record Commit(IReadOnlyList<CommitSignature> Signatures)
{
    public const string Domain = "communitygrid/commit/v1";

    public static byte[] Message(string chainId, long height, byte[] headerHash)
    {
        CborWriter w = Cbor.Writer();
        w.WriteStartArray(4);
        w.WriteTextString(Domain);
        w.WriteTextString(chainId);
        w.WriteInt64(height);
        w.WriteByteString(headerHash);
        w.WriteEndArray();
        return w.Encode();
    }

    public static CommitSignature Sign(BlockHeader header, Ed25519Signer validator) =>
        new(validator.PublicKey, validator.Sign(Message(header.ChainId, header.Height, header.Hash())));

    public static Commit Of(params CommitSignature[] signatures) =>
        new(signatures.OrderBy(s => s.ValidatorKey, Comparer<byte[]>.Create(Hashes.Compare)).ToList());

    /// <summary>Null when the commit carries a quorum of valid signatures from distinct members of the set, else what is wrong.</summary>
    public string? FindProblem(BlockHeader header, ValidatorSet validators)
    {
        byte[] message = Message(header.ChainId, header.Height, header.Hash());
        int valid = 0;
        for (int i = 0; i < Signatures.Count; i++)
        {
            CommitSignature s = Signatures[i];
            if (i > 0 && Hashes.Compare(Signatures[i - 1].ValidatorKey, s.ValidatorKey) >= 0)
            {
                return "commit signatures are not sorted by validator key, or a validator signed twice";
            }
            if (!validators.Contains(s.ValidatorKey)) return $"commit signer {Hashes.Hex(s.ValidatorKey)} is not in the validator set";
            if (!Ed25519Verifier.Verify(s.ValidatorKey, message, s.Signature))
            {
                return $"commit signature of validator {Hashes.Hex(s.ValidatorKey)} does not verify over the header hash {Hashes.Hex(header.Hash())}";
            }
            valid++;
        }
        return valid >= validators.Quorum ? null : $"commit has {valid} valid signature(s), a quorum is {validators.Quorum}";
    }

    public byte[] Encode()
    {
        CborWriter w = Cbor.Writer();
        w.WriteStartArray(Signatures.Count);
        foreach (CommitSignature s in Signatures)
        {
            w.WriteStartArray(2);
            w.WriteByteString(s.ValidatorKey);
            w.WriteByteString(s.Signature);
            w.WriteEndArray();
        }
        w.WriteEndArray();
        return w.Encode();
    }

    public static Commit Decode(byte[] bytes) => Cbor.Decode("commit", bytes, r =>
    {
        int count = Cbor.ReadArrayHeader(r, "commit");
        var signatures = new List<CommitSignature>(count);
        for (int i = 0; i < count; i++)
        {
            if (Cbor.ReadArrayHeader(r, "commit") != 2) throw new ChainFormatException("commit: each signature is [key, signature]");
            signatures.Add(new CommitSignature(Cbor.ReadBytes(r, 32, "commit key"), Cbor.ReadBytes(r, 64, "commit signature")));
            r.ReadEndArray();
        }
        r.ReadEndArray();
        return new Commit(signatures);
    });
}

public sealed record CommitSignature(byte[] ValidatorKey, byte[] Signature);

/// <summary>A header, its body and the commit that makes it final.</summary>
public sealed record Block(BlockHeader Header, BlockBody Body, Commit Commit)
{
    public long Height => Header.Height;
}
