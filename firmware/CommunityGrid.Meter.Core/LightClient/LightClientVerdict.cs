namespace CommunityGrid.Meter.LightClient
{
    /// <summary>
    /// Why the light client accepted or refused a header, a certificate, a set change or a proof. Each refusal
    /// has its own value (docs/consensus.md §2.3; the tendermint-rs #650 trap: an empty certificate is invalid,
    /// never "not enough trust").
    /// </summary>
    public enum LightClientVerdict
    {
        Valid,
        /// <summary>The bytes are not the deterministic CBOR structure the spec defines.</summary>
        Malformed,
        /// <summary>The header names another chain.</summary>
        WrongChain,
        /// <summary>The certificate is for another height than the header, or the header is not after the last verified one.</summary>
        WrongHeight,
        /// <summary>The certificate's block id is not the SHA-256 of the header bytes.</summary>
        WrongBlock,
        /// <summary>The certificate carries no signature at all.</summary>
        Empty,
        /// <summary>A signer is not in the trusted validator set.</summary>
        ForeignSigner,
        /// <summary>A signer appears twice.</summary>
        DuplicateSigner,
        /// <summary>A signature is not a precommit of this chain, height, round and block (includes another round's precommit).</summary>
        BadSignature,
        /// <summary>Every signature is good but fewer than ⌊2n/3⌋+1 of the trusted set signed.</summary>
        NotEnoughSigners,
        /// <summary>A set change whose encoding does not hash to what the verified header commits to.</summary>
        SetHashMismatch,
        /// <summary>A proof or set change against a header this client has not verified.</summary>
        UnverifiedHeader,
        /// <summary>The inclusion path does not lead from the leaf to the verified root.</summary>
        ProofMismatch,
        /// <summary>The meter went longer than its trust window (in its own intervals) without a verified header.</summary>
        TrustExpired,
        /// <summary>A proof message names another chain or meter, or a meter entry with another key than this meter's.</summary>
        WrongMeter,
        /// <summary>A proof message's header is older than the one verified last: nothing new in it (a gateway cannot roll figures back).</summary>
        OlderHeader,
    }
}
