using System;
using System.Collections.Generic;
using System.Formats.Cbor;
using System.Linq;
using CommunityGrid.Chain.Blocks;
using CommunityGrid.Consensus;
using CommunityGrid.Consensus.Messages;
using CommunityGrid.Formats.Signing;
using CommunityGrid.Meter.LightClient;
using CommunityGrid.Protocol.Crypto;
using ConsensusValidatorSet = CommunityGrid.Consensus.ValidatorSet;

namespace CommunityGrid.Meter.Core.Tests.LightClient;

/// <summary>
/// Validators with real gateway-side keys (NSec), headers encoded by the chain's <see cref="BlockHeader"/>,
/// certificates made by the consensus project's <see cref="SignedVote"/> and <see cref="CommitCertificate"/>:
/// the light client is tested on the bytes the gateways produce.
/// </summary>
internal sealed class Validators : IDisposable
{
    public const string ChainId = "maple-street";

    private readonly Ed25519Signer[] signers;

    /// <param name="firstSeed">seeds are firstSeed, firstSeed+1, ... (repeated in every byte), so two sets can be disjoint.</param>
    public Validators(int count, int firstSeed)
    {
        signers = Enumerable.Range(firstSeed, count)
            .Select(i => Ed25519Signer.FromSeed(Enumerable.Repeat((byte)i, 32).ToArray()))
            .OrderBy(s => Convert.ToHexString(s.PublicKey), StringComparer.Ordinal)
            .ToArray();
    }

    public int Count => signers.Length;

    public Ed25519Signer this[int index] => signers[index];

    /// <summary>chain.md §1: [[bstr32 key, text address] ...] sorted by key, as the chain's ValidatorSet writes it.</summary>
    public byte[] SetEncoding()
    {
        var writer = new CborWriter(CborConformanceMode.Canonical);
        writer.WriteStartArray(signers.Length);
        for (int i = 0; i < signers.Length; i++)
        {
            writer.WriteStartArray(2);
            writer.WriteByteString(signers[i].PublicKey);
            writer.WriteTextString($"gw{i}.maple.example:7400");
            writer.WriteEndArray();
        }
        writer.WriteEndArray();
        return writer.Encode();
    }

    public byte[] SetHash() => Sha256.Hash(SetEncoding());

    public TrustedValidatorSet Trusted() => TrustedValidatorSet.FromEncoding(SetEncoding());

    public ConsensusValidatorSet ConsensusSet() => new(signers.Select(s => s.PublicKey));

    public SignedVote Precommit(int index, long height, int round, byte[] blockId, string chainId = ChainId) =>
        SignedVote.Create(chainId, MessageType.Precommit, height, round, new BlockId(blockId), signers[index]);

    /// <summary>The certificate of precommits by the validators at <paramref name="indices"/> (FromPrecommits: one round, sorted).</summary>
    public CommitCertificate Certify(long height, int round, byte[] blockId, params int[] indices) =>
        CommitCertificate.FromPrecommits(indices.Select(i => Precommit(i, height, round, blockId)));

    public int[] All() => Enumerable.Range(0, signers.Length).ToArray();

    public void Dispose()
    {
        foreach (Ed25519Signer signer in signers) signer.Dispose();
    }
}

internal static class Headers
{
    public static readonly byte[] Zero = new byte[32];

    public static BlockHeader Make(long height, byte[] validatorSetHash, byte[]? txRoot = null, byte[]? stateRoot = null, string chainId = Validators.ChainId) =>
        new(chainId, height, 1_760_000_000_000 + height * 900_000, Fill(0x11), txRoot ?? Fill(0x22), stateRoot ?? Fill(0x33), Fill(0x44), validatorSetHash, Fill(0x55), Fill(0x66));

    public static byte[] Fill(byte value) => Enumerable.Repeat(value, 32).ToArray();

    public static LightClientVerifier Client(Validators genesis) =>
        new(Validators.ChainId, genesis.Trusted(), startInterval: 0, staleAfterIntervals: 4, trustExpiresAfterIntervals: 2880);

    public static List<byte[]> Sorted(IEnumerable<byte[]> items) => items.OrderBy(Convert.ToHexString, StringComparer.Ordinal).ToList();
}
