using System;
using CommunityGrid.Protocol.Bytes;
using CommunityGrid.Protocol.Cbor;
using CommunityGrid.Protocol.Crypto;
using CommunityGrid.Protocol.Merkle;

namespace CommunityGrid.Meter.LightClient
{
    /// <summary>
    /// The meter's light client: trusts a validator set, accepts a header only with a commit certificate carrying
    /// more than two thirds of that set (docs/consensus.md §2.3), follows set changes header by header (the
    /// adjacent rule), and checks inclusion proofs only against the header it verified last. A pure state
    /// machine: no clock; age is counted in the meter's own intervals (docs/meter.md, "Light client").
    /// </summary>
    public sealed class LightClientVerifier
    {
        /// <summary>docs/consensus.md §2: first item of every signed consensus structure.</summary>
        public const string DomainTag = "communitygrid/consensus/v1";

        private const long PrecommitType = 3;

        private readonly string chainId;
        private readonly long staleAfterIntervals;
        private readonly long trustExpiresAfterIntervals;
        private readonly CountingMerkleHasher hasher;
        private readonly ISignatureCheck signatures;
        private long verifiedAtInterval;

        /// <param name="startInterval">the meter's interval counter when the set was installed (counts as a verification).</param>
        /// <param name="signatureCheck">the Ed25519 verification of commit signatures; null for the portable one (a meter).</param>
        /// <param name="merkleHasher">the RFC 6962 hashes of inclusion paths; null for the portable one (a meter). Any
        /// implementation must give the portable one's bytes (protocol.md §5); the simulator passes the platform's.</param>
        public LightClientVerifier(string chainId, TrustedValidatorSet trustedSet, long startInterval, long staleAfterIntervals, long trustExpiresAfterIntervals,
            ISignatureCheck? signatureCheck = null, IMerkleHasher? merkleHasher = null)
        {
            ArgumentNullException.ThrowIfNull(chainId);
            ArgumentNullException.ThrowIfNull(trustedSet);
            if (staleAfterIntervals < 0 || trustExpiresAfterIntervals < staleAfterIntervals)
            {
                throw new ArgumentException("the windows must satisfy 0 <= stale <= trust expiry");
            }
            this.chainId = chainId;
            TrustedSet = trustedSet;
            verifiedAtInterval = startInterval;
            this.staleAfterIntervals = staleAfterIntervals;
            this.trustExpiresAfterIntervals = trustExpiresAfterIntervals;
            signatures = signatureCheck == null ? PortableSignatureCheck.Instance : signatureCheck;
            Cost = new VerificationCost();
            hasher = new CountingMerkleHasher(Cost, merkleHasher == null ? PortableMerkleHasher.Instance : merkleHasher);
        }

        public TrustedValidatorSet TrustedSet { get; private set; }

        /// <summary>The meter's interval counter at the last verification (or installation): what trust ageing counts from.</summary>
        public long VerifiedAtInterval => verifiedAtInterval;

        /// <summary>The last header accepted, or null before the first; proofs are checked only against it.</summary>
        public LightHeader? LatestVerified { get; private set; }

        public long LatestVerifiedHeight => LatestVerified == null ? 0 : LatestVerified.Height;

        /// <summary>Operations spent since construction or the last <see cref="VerificationCost.Reset"/>.</summary>
        public VerificationCost Cost { get; }

        /// <summary>
        /// Puts back what this verifier had verified before a restart, from the meter's own flash (written only after a
        /// verification succeeded): the set it trusted, the header it verified last and when.
        /// </summary>
        internal void Restore(TrustedValidatorSet trustedSet, LightHeader? latestVerified, long atInterval)
        {
            ArgumentNullException.ThrowIfNull(trustedSet);
            TrustedSet = trustedSet;
            LatestVerified = latestVerified;
            verifiedAtInterval = atInterval;
        }

        public TrustFreshness FreshnessAt(long meterInterval)
        {
            long elapsed = meterInterval - verifiedAtInterval;
            if (elapsed > trustExpiresAfterIntervals) return TrustFreshness.TrustExpired;
            if (elapsed > staleAfterIntervals) return TrustFreshness.Stale;
            return TrustFreshness.Fresh;
        }

        /// <summary>
        /// Verifies a header and the certificate that commits it against the trusted set; on success the header
        /// becomes <see cref="LatestVerified"/>. Heights must increase (a replayed older header is refused).
        /// </summary>
        public LightClientResult VerifyBlock(byte[] headerBytes, byte[] certificateBytes, long meterInterval)
        {
            ArgumentNullException.ThrowIfNull(headerBytes);
            ArgumentNullException.ThrowIfNull(certificateBytes);
            if (FreshnessAt(meterInterval) == TrustFreshness.TrustExpired)
            {
                return LightClientResult.Fail(LightClientVerdict.TrustExpired, "no header verified for " + (meterInterval - verifiedAtInterval) + " intervals (limit " + trustExpiresAfterIntervals + "): the validator set must be installed again");
            }
            LightHeader header;
            CertificateReader certificate;
            try
            {
                Cost.CountHash();
                header = LightHeader.Decode(headerBytes);
            }
            catch (FormatException e)
            {
                return LightClientResult.Fail(LightClientVerdict.Malformed, "header: " + e.Message);
            }
            if (header.ChainId != chainId) return LightClientResult.Fail(LightClientVerdict.WrongChain, "header is of chain '" + header.ChainId + "', not '" + chainId + "'");
            if (header.Height <= LatestVerifiedHeight)
            {
                return LightClientResult.Fail(LightClientVerdict.WrongHeight, "header height " + header.Height + " is not after the last verified height " + LatestVerifiedHeight);
            }
            try
            {
                certificate = CertificateReader.Decode(certificateBytes);
            }
            catch (FormatException e)
            {
                return LightClientResult.Fail(LightClientVerdict.Malformed, "certificate: " + e.Message);
            }
            if (certificate.Height != header.Height)
            {
                return LightClientResult.Fail(LightClientVerdict.WrongHeight, "certificate is for height " + certificate.Height + ", the header for " + header.Height);
            }
            if (!ByteArrays.AreEqual(certificate.BlockId, header.Hash))
            {
                return LightClientResult.Fail(LightClientVerdict.WrongBlock, "certificate commits block " + Hex.Encode(certificate.BlockId) + ", not this header " + Hex.Encode(header.Hash));
            }
            LightClientResult signers = CheckSigners(certificate);
            if (!signers.IsValid) return signers;
            LatestVerified = header;
            verifiedAtInterval = meterInterval;
            return new LightClientResult(LightClientVerdict.Valid, "height " + header.Height + " committed by " + certificate.Signers.Length + " of " + TrustedSet.Count + " trusted validators", header);
        }

        /// <summary>
        /// The adjacent-header rule: the set <paramref name="setEncoding"/> (chain.md §1) becomes trusted only when
        /// <paramref name="announcingHeader"/> is the header this client verified last (so the current set
        /// committed it with more than two thirds) and its field 8 is the SHA-256 of exactly these bytes.
        /// </summary>
        public LightClientResult FollowSetChange(LightHeader announcingHeader, byte[] setEncoding)
        {
            ArgumentNullException.ThrowIfNull(announcingHeader);
            ArgumentNullException.ThrowIfNull(setEncoding);
            if (!IsLatestVerified(announcingHeader))
            {
                return LightClientResult.Fail(LightClientVerdict.UnverifiedHeader, "a set change is followed only from the header verified last (height " + LatestVerifiedHeight + ")");
            }
            Cost.CountHash();
            if (!ByteArrays.AreEqual(Sha256.Hash(setEncoding), announcingHeader.ValidatorSetHash))
            {
                return LightClientResult.Fail(LightClientVerdict.SetHashMismatch, "the offered set does not hash to " + Hex.Encode(announcingHeader.ValidatorSetHash) + ", which header " + announcingHeader.Height + " commits to");
            }
            TrustedValidatorSet next;
            try
            {
                next = TrustedValidatorSet.FromEncoding(setEncoding);
            }
            catch (FormatException e)
            {
                return LightClientResult.Fail(LightClientVerdict.Malformed, "validator set: " + e.Message);
            }
            TrustedSet = next;
            return new LightClientResult(LightClientVerdict.Valid, "now trusting " + next.Count + " validators announced at height " + announcingHeader.Height, announcingHeader);
        }

        /// <summary>Whether <paramref name="transaction"/> (tx bytes = leaf data, chain.md §6) is in the verified header's tx root.</summary>
        public LightClientResult VerifyTransaction(LightHeader header, byte[] transaction, InclusionProof proof)
        {
            ArgumentNullException.ThrowIfNull(header);
            ArgumentNullException.ThrowIfNull(transaction);
            return VerifyLeaf(header, header.TxRoot, transaction, proof, "transaction");
        }

        /// <summary>
        /// Whether state entry <paramref name="key"/> holds <paramref name="encodedValue"/> (one CBOR item) in the
        /// verified header's state root; leaf = canonical CBOR <c>[key, value]</c> (chain.md §3).
        /// </summary>
        public LightClientResult VerifyStateEntry(LightHeader header, string key, byte[] encodedValue, InclusionProof proof)
        {
            ArgumentNullException.ThrowIfNull(header);
            ArgumentNullException.ThrowIfNull(key);
            ArgumentNullException.ThrowIfNull(encodedValue);
            // The encoder only yields complete items, so the array head (0x82: array of 2) is written by hand.
            CborEncoder keyItem = new CborEncoder(key.Length + 4);
            keyItem.WriteTextString(key);
            byte[] leaf = ByteArrays.Concat(ByteArrays.Concat(new byte[] { 0x82 }, keyItem.ToArray()), encodedValue);
            return VerifyLeaf(header, header.StateRoot, leaf, proof, "state entry " + key);
        }

        /// <summary><c>balance/{houseId}</c> → int (chain.md §3).</summary>
        public LightClientResult VerifyBalance(LightHeader header, string houseId, long balance, InclusionProof proof)
        {
            ArgumentNullException.ThrowIfNull(houseId);
            CborEncoder value = new CborEncoder(9);
            value.WriteInt64(balance);
            return VerifyStateEntry(header, "balance/" + houseId, value.ToArray(), proof);
        }

        /// <summary><c>price</c> → <c>[intervalStart, price]</c> (chain.md §3): the internal price of the last closed interval.</summary>
        public LightClientResult VerifyPrice(LightHeader header, long intervalStart, long price, InclusionProof proof)
        {
            CborEncoder value = new CborEncoder(19);
            value.WriteArrayHeader(2);
            value.WriteInt64(intervalStart);
            value.WriteInt64(price);
            return VerifyStateEntry(header, "price", value.ToArray(), proof);
        }

        private LightClientResult VerifyLeaf(LightHeader header, byte[] root, byte[] leaf, InclusionProof proof, string what)
        {
            ArgumentNullException.ThrowIfNull(proof);
            if (!IsLatestVerified(header))
            {
                return LightClientResult.Fail(LightClientVerdict.UnverifiedHeader, what + ": the header is not the one verified last (height " + LatestVerifiedHeight + ")");
            }
            if (!MerkleTree.VerifyInclusion(leaf, proof.Index, proof.TreeSize, proof.Path, root, hasher))
            {
                return LightClientResult.Fail(LightClientVerdict.ProofMismatch, what + ": the proof does not lead to the root of height " + header.Height);
            }
            return new LightClientResult(LightClientVerdict.Valid, what + " is committed at height " + header.Height, header);
        }

        private bool IsLatestVerified(LightHeader header) =>
            LatestVerified != null && ByteArrays.AreEqual(header.Hash, LatestVerified.Hash) && ByteArrays.AreEqual(header.StateRoot, LatestVerified.StateRoot);

        /// <summary>
        /// docs/consensus.md §2.3 in a meter-friendly order: membership, duplicates and order are checked for
        /// every signer before any (costly) signature check; then every signature; then the quorum.
        /// </summary>
        private LightClientResult CheckSigners(CertificateReader certificate)
        {
            int count = certificate.Signers.Length;
            if (count == 0) return LightClientResult.Fail(LightClientVerdict.Empty, "the certificate carries no signature");
            bool[] seen = new bool[TrustedSet.Count];
            for (int i = 0; i < count; i++)
            {
                byte[] signer = certificate.Signers[i];
                int index = TrustedSet.IndexOf(signer);
                if (index < 0) return LightClientResult.Fail(LightClientVerdict.ForeignSigner, "signer " + Hex.Encode(signer) + " is not in the trusted validator set");
                if (seen[index]) return LightClientResult.Fail(LightClientVerdict.DuplicateSigner, "signer " + Hex.Encode(signer) + " appears twice");
                seen[index] = true;
                if (i > 0 && TrustedValidatorSet.Compare(certificate.Signers[i - 1], signer) > 0)
                {
                    return LightClientResult.Fail(LightClientVerdict.Malformed, "certificate signers are not in ascending key order");
                }
            }
            byte[] signedBytes = PrecommitSignedBytes(certificate.Height, certificate.Round, certificate.BlockId);
            for (int i = 0; i < count; i++)
            {
                Cost.CountSignatureCheck();
                if (!signatures.Verify(certificate.Signers[i], signedBytes, certificate.Signatures[i]))
                {
                    return LightClientResult.Fail(LightClientVerdict.BadSignature, "the signature of " + Hex.Encode(certificate.Signers[i]) + " is not a precommit of height " + certificate.Height + ", round " + certificate.Round + " for this block");
                }
            }
            if (count < TrustedSet.Quorum)
            {
                return LightClientResult.Fail(LightClientVerdict.NotEnoughSigners, count + " of " + TrustedSet.Count + " trusted validators signed; more than two thirds (" + TrustedSet.Quorum + ") are needed");
            }
            return new LightClientResult(LightClientVerdict.Valid, "valid", null);
        }

        /// <summary>docs/consensus.md §2.1: [domain tag, chainId, 3, height, round, blockId].</summary>
        private byte[] PrecommitSignedBytes(long height, long round, byte[] blockId)
        {
            CborEncoder encoder = new CborEncoder(128);
            encoder.WriteArrayHeader(6);
            encoder.WriteTextString(DomainTag);
            encoder.WriteTextString(chainId);
            encoder.WriteInt64(PrecommitType);
            encoder.WriteInt64(height);
            encoder.WriteInt64(round);
            encoder.WriteByteString(blockId);
            return encoder.ToArray();
        }
    }
}
