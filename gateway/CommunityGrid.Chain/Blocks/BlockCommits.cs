using System;
using CommunityGrid.Chain.Encoding;
using CommunityGrid.Consensus;
using CommunityGrid.Consensus.Messages;
using CommunityGrid.Formats.Signing;

namespace CommunityGrid.Chain.Blocks;

/// <summary>
/// How the chain uses the consensus commit certificate (consensus.md §2.3): the precommits of one round for a
/// header hash, from more than two thirds of the set that commits that height (chain.md §6).
/// </summary>
public static class BlockCommits
{
    /// <summary>Header field 10 of block 1, which has no previous block to carry a commit of.</summary>
    public static readonly byte[] NoPreviousCommit = new byte[Hashes.Size];

    /// <summary>Header field 10: SHA-256 of the previous block's certificate as block h carries it, or zeros at height 1.</summary>
    public static byte[] PreviousCommitHash(CommitCertificate? previous) =>
        previous is null ? (byte[])NoPreviousCommit.Clone() : Hashes.Sha256(previous.Encode());

    /// <summary>
    /// The whole of consensus for a validator set of one: this gateway's precommit of round 0 is a quorum. Only safe
    /// because a set of one has nobody to equivocate to and the block and its commit are stored in one transaction.
    /// </summary>
    public static CommitCertificate SignAlone(BlockHeader header, Ed25519Signer validator)
    {
        ArgumentNullException.ThrowIfNull(header);
        ArgumentNullException.ThrowIfNull(validator);
        var precommit = SignedVote.Create(header.ChainId, MessageType.Precommit, header.Height, 0, new BlockId(header.Hash()), validator);
        return CommitCertificate.FromPrecommits([precommit]);
    }

    /// <summary>Null when <paramref name="certificate"/> commits exactly <paramref name="header"/> with a quorum of <paramref name="validators"/>, else what is wrong.</summary>
    public static string? FindProblem(CommitCertificate certificate, BlockHeader header, ValidatorSet validators) =>
        FindProblem(certificate, header, validators, static (key, message, signature) => Ed25519Verifier.Verify(key, message, signature));

    /// <summary>As <see cref="FindProblem(CommitCertificate, BlockHeader, ValidatorSet)"/>, each signature judged by <paramref name="verifySignature"/> (e.g. <see cref="VerifiedPrecommits.Check"/>).</summary>
    public static string? FindProblem(CommitCertificate certificate, BlockHeader header, ValidatorSet validators, Func<byte[], byte[], byte[], bool> verifySignature)
    {
        ArgumentNullException.ThrowIfNull(header);
        return FindProblem(certificate, header, header.Hash(), validators, verifySignature);
    }

    /// <summary>
    /// As <see cref="FindProblem(CommitCertificate, BlockHeader, ValidatorSet, Func{byte[], byte[], byte[], bool})"/> with
    /// the header's hash computed by the caller, who needs it again (the chain state's tip hash): one hash per block
    /// instead of one per use (issue 18). <paramref name="headerHash"/> must be <c>header.Hash()</c> of the header as it is now.
    /// </summary>
    internal static string? FindProblem(CommitCertificate certificate, BlockHeader header, byte[] headerHash, ValidatorSet validators, Func<byte[], byte[], byte[], bool> verifySignature)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        ArgumentNullException.ThrowIfNull(header);
        ArgumentNullException.ThrowIfNull(headerHash);
        ArgumentNullException.ThrowIfNull(validators);
        if (certificate.Height != header.Height) return $"the commit is for height {certificate.Height}, not {header.Height}";
        if (!Hashes.Equal(certificate.BlockId.ToArray(), headerHash))
        {
            return $"the commit is for block {certificate.BlockId}, not for this header ({Hashes.Hex(headerHash)})";
        }
        CertificateCheck check = certificate.Verify(header.ChainId, validators.ForConsensus, verifySignature);
        return check.IsValid ? null : $"commit of round {certificate.Round}: {check.Reason}";
    }

    /// <exception cref="ChainFormatException">not a certificate in the canonical encoding.</exception>
    public static CommitCertificate Decode(byte[] bytes, string what)
    {
        try
        {
            return CommitCertificate.Decode(bytes);
        }
        catch (ConsensusFormatException e)
        {
            throw new ChainFormatException($"{what}: {e.Message}");
        }
    }
}
