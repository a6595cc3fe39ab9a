using System;
using System.Collections.Generic;
using CommunityGrid.Meter.Messaging;
using CommunityGrid.Protocol.Bytes;
using CommunityGrid.Protocol.Cose;
using NSec.Cryptography;

namespace CommunityGrid.Simulation.Pipeline;

/// <summary>
/// What <see cref="TrustedSigners.OpenPayload"/> does for a meter (docs/protocol.md §7.3, §7.4): the meter core's
/// COSE_Sign1 decoding, then the kid must be a configured gateway key, then the Ed25519 signature must verify under it,
/// with the same exceptions, but the signature is checked by libsodium (NSec) instead of the portable Ed25519. A
/// simulated day checks tens of thousands of acks and display messages, where the portable code costs several
/// times libsodium; a real meter keeps the portable check. Ed25519 verification is a yes/no function of key, message
/// and signature; libsodium is stricter only on encodings the gateway's libsodium signer never produces (small-order
/// keys, non-canonical signatures), and SodiumSignedMessagesTests shows both agree on genuine and forged messages.
/// </summary>
public sealed class SodiumSignedMessages
{
    private readonly TrustedSigners signers;
    private readonly Dictionary<string, PublicKey> keys = new(StringComparer.Ordinal);

    /// <param name="publicKeys">The gateway and validator keys the meters are configured to believe.</param>
    public SodiumSignedMessages(byte[][] publicKeys)
    {
        signers = new TrustedSigners(publicKeys);
        foreach (byte[] key in publicKeys)
        {
            // Imported once: NSec checks the encoding on import, which a per-message import would repeat.
            if (PublicKey.TryImport(SignatureAlgorithm.Ed25519, key, KeyBlobFormat.RawPublicKey, out PublicKey? imported)) keys[Hex.Encode(key)] = imported!;
        }
    }

    /// <summary>The payload of a COSE_Sign1 of <paramref name="contentType"/> signed by one of the trusted keys.</summary>
    /// <exception cref="FormatException">not a COSE_Sign1 of this protocol's shape and content type.</exception>
    /// <exception cref="UntrustedSignerException">the kid is not a trusted key.</exception>
    /// <exception cref="CoseSignatureException">the signature does not verify.</exception>
    public byte[] OpenPayload(byte[] cose, string contentType)
    {
        CoseSign1Message message = CoseSign1.Decode(cose, contentType);
        if (!signers.Contains(message.KeyId))
        {
            throw new UntrustedSignerException("signed by " + Hex.Encode(message.KeyId) + ", which is not a configured gateway key");
        }
        bool valid = keys.TryGetValue(Hex.Encode(message.KeyId), out PublicKey? key)
            && message.Signature.Length == SignatureAlgorithm.Ed25519.SignatureSize
            && SignatureAlgorithm.Ed25519.Verify(key!, CoseSign1.SigStructure(message.ProtectedHeader, message.Payload), message.Signature);
        if (!valid)
        {
            throw new CoseSignatureException("the Ed25519 signature does not verify under the gateway key " + Hex.Encode(message.KeyId));
        }
        return message.Payload;
    }
}
