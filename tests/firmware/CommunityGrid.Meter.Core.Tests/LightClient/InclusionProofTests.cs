using System.Linq;
using CommunityGrid.Chain.Blocks;
using CommunityGrid.Chain.State;
using CommunityGrid.Meter.LightClient;
using CommunityGrid.Protocol.Cbor;
using CommunityGrid.Protocol.Merkle;

namespace CommunityGrid.Meter.Core.Tests.LightClient;

/// <summary>Readings in the tx root and state entries in the state root, only against the header verified last.</summary>
public sealed class InclusionProofTests
{
    private static readonly byte[][] Transactions = Enumerable.Range(1, 5).Select(i => Enumerable.Repeat((byte)(0x30 + i), 40 + i).ToArray()).ToArray();

    // State entries sorted by key, values as their CBOR items (chain.md §3), leaves made by the chain's StateTree.
    private static readonly (string Key, long Value)[] Entries =
    [
        ("balance/house-01", -1234),
        ("balance/house-02", 560),
        ("balance/house-03", 0),
        ("fund", 98765),
    ];

    private static byte[] Int(long value)
    {
        var encoder = new CborEncoder();
        encoder.WriteInt64(value);
        return encoder.ToArray();
    }

    private static byte[][] StateLeaves() => Entries.Select(e => StateTree.Leaf(e.Key, Int(e.Value))).ToArray();

    private static (LightClientVerifier Client, LightHeader Header) Verified(Validators set)
    {
        BlockHeader header = Headers.Make(1, set.SetHash(), MerkleTree.Root(Transactions), MerkleTree.Root(StateLeaves()));
        LightClientVerifier client = Headers.Client(set);
        LightClientResult result = client.VerifyBlock(header.Encode(), set.Certify(1, 0, header.Hash(), set.All()).Encode(), 1);
        Assert.True(result.IsValid, result.Reason);
        return (client, result.Header!);
    }

    [Fact]
    public void A_reading_in_the_verified_tx_root_is_proven()
    {
        using var set = new Validators(4, 1);
        var (client, header) = Verified(set);
        for (int i = 0; i < Transactions.Length; i++)
        {
            var proof = new InclusionProof(i, Transactions.Length, MerkleTree.InclusionProof(Transactions, i));
            Assert.Equal(LightClientVerdict.Valid, client.VerifyTransaction(header, Transactions[i], proof).Verdict);
        }
    }

    [Fact]
    public void A_balance_in_the_verified_state_root_is_proven_and_a_forged_balance_is_not()
    {
        using var set = new Validators(4, 1);
        var (client, header) = Verified(set);
        var proof = new InclusionProof(0, Entries.Length, MerkleTree.InclusionProof(StateLeaves(), 0));

        Assert.Equal(LightClientVerdict.Valid, client.VerifyBalance(header, "house-01", -1234, proof).Verdict);
        Assert.Equal(LightClientVerdict.ProofMismatch, client.VerifyBalance(header, "house-01", 1234, proof).Verdict);
        Assert.Equal(LightClientVerdict.ProofMismatch, client.VerifyBalance(header, "house-02", -1234, proof).Verdict);
    }

    [Fact]
    public void Forged_proofs_are_refused()
    {
        using var set = new Validators(4, 1);
        var (client, header) = Verified(set);
        byte[][] path = MerkleTree.InclusionProof(Transactions, 2);
        byte[] notCommitted = Enumerable.Repeat((byte)0x77, 44).ToArray();

        Assert.Equal(LightClientVerdict.ProofMismatch, client.VerifyTransaction(header, notCommitted, new InclusionProof(2, Transactions.Length, path)).Verdict);
        byte[][] tampered = path.Select(p => (byte[])p.Clone()).ToArray();
        tampered[0][5] ^= 1;
        Assert.Equal(LightClientVerdict.ProofMismatch, client.VerifyTransaction(header, Transactions[2], new InclusionProof(2, Transactions.Length, tampered)).Verdict);
        Assert.Equal(LightClientVerdict.ProofMismatch, client.VerifyTransaction(header, Transactions[2], new InclusionProof(3, Transactions.Length, path)).Verdict);
        Assert.Equal(LightClientVerdict.ProofMismatch, client.VerifyTransaction(header, Transactions[2], new InclusionProof(2, Transactions.Length, path.Take(1).ToArray())).Verdict);
    }

    [Fact]
    public void A_proof_that_is_valid_against_an_unverified_header_is_refused()
    {
        using var set = new Validators(4, 1);
        var (client, _) = Verified(set);
        // A lying gateway invents a state where house-01 is rich, and a header over it that no quorum signed.
        byte[][] forgedLeaves = StateLeaves();
        forgedLeaves[0] = StateTree.Leaf("balance/house-01", Int(1_000_000));
        BlockHeader forged = Headers.Make(1, set.SetHash(), MerkleTree.Root(Transactions), MerkleTree.Root(forgedLeaves));
        LightHeader unverified = LightHeader.Decode(forged.Encode());
        var proof = new InclusionProof(0, forgedLeaves.Length, MerkleTree.InclusionProof(forgedLeaves, 0));
        Assert.True(MerkleTree.VerifyInclusion(forgedLeaves[0], 0, forgedLeaves.Length, proof.Path, unverified.StateRoot)); // the proof itself is sound

        Assert.Equal(LightClientVerdict.UnverifiedHeader, client.VerifyBalance(unverified, "house-01", 1_000_000, proof).Verdict);
    }

    [Fact]
    public void A_verifier_given_another_hasher_hashes_every_path_with_it_and_judges_alike()
    {
        // The simulator gives its light clients the platform SHA-256 (BclMerkleHasher); a meter keeps the portable one.
        using var set = new Validators(4, 1);
        var (portable, header) = Verified(set);
        var platform = new CallCountingHasher(BclMerkleHasher.Instance);
        var other = new LightClientVerifier(Validators.ChainId, set.Trusted(), startInterval: 0, staleAfterIntervals: 4, trustExpiresAfterIntervals: 2880,
            merkleHasher: platform);
        Assert.True(other.VerifyBlock(Headers.Make(1, set.SetHash(), MerkleTree.Root(Transactions), MerkleTree.Root(StateLeaves())).Encode(),
            set.Certify(1, 0, header.Hash, set.All()).Encode(), 1).IsValid);
        LightHeader otherHeader = other.LatestVerified!;
        byte[][] path = MerkleTree.InclusionProof(Transactions, 2);
        byte[][] tampered = path.Select(p => (byte[])p.Clone()).ToArray();
        tampered[1][0] ^= 1;
        int hashesBefore = other.Cost.Sha256Hashes;

        foreach (byte[][] candidate in new[] { path, tampered })
        {
            var proof = new InclusionProof(2, Transactions.Length, candidate);
            Assert.Equal(portable.VerifyTransaction(header, Transactions[2], proof).Verdict, other.VerifyTransaction(otherHeader, Transactions[2], proof).Verdict);
        }
        Assert.Equal(LightClientVerdict.Valid, other.VerifyTransaction(otherHeader, Transactions[2], new InclusionProof(2, Transactions.Length, path)).Verdict);
        // Every hash of the three path checks went through the given hasher: a leaf and one node per path step each.
        Assert.Equal(3 * (1 + path.Length), platform.Calls);
        Assert.Equal(platform.Calls, other.Cost.Sha256Hashes - hashesBefore);
    }

    private sealed class CallCountingHasher(IMerkleHasher inner) : IMerkleHasher
    {
        public int Calls { get; private set; }

        public byte[] LeafHash(byte[] data)
        {
            Calls++;
            return inner.LeafHash(data);
        }

        public byte[] NodeHash(byte[] left, byte[] right)
        {
            Calls++;
            return inner.NodeHash(left, right);
        }
    }

    [Fact]
    public void Before_any_verified_header_no_proof_is_accepted()
    {
        using var set = new Validators(4, 1);
        BlockHeader header = Headers.Make(1, set.SetHash(), MerkleTree.Root(Transactions));
        var proof = new InclusionProof(0, Transactions.Length, MerkleTree.InclusionProof(Transactions, 0));

        Assert.Equal(LightClientVerdict.UnverifiedHeader, Headers.Client(set).VerifyTransaction(LightHeader.Decode(header.Encode()), Transactions[0], proof).Verdict);
    }
}
