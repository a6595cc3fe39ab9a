using System;
using System.Collections.Concurrent;
using CommunityGrid.Meter.LightClient;
using NSec.Cryptography;

namespace CommunityGrid.Simulation.Pipeline;

/// <summary>
/// The light client's commit-signature check (<see cref="ISignatureCheck"/>) by libsodium (NSec) instead of the
/// portable Ed25519: every simulated meter verifies every block's commit certificate (3 or 4 signatures), hundreds of
/// thousands of checks a simulated day. The verifier logic stays the meter core's; only the primitive differs, and
/// docs/protocol.md §6 defines the portable one as libsodium's acceptance rules, so both give the same verdict
/// (SodiumSignatureCheckTests: genuine, forged, bit-flipped, non-canonical and small-order inputs). A meter keeps the
/// portable check. Safe to share between meters verifying on several threads; the meters of one simulation share one
/// instance, whose <see cref="SignatureVerdictCache"/> verifies each distinct (key, header, signature) once for all of them.
/// </summary>
public sealed class SodiumSignatureCheck(SignatureVerdictCache? verdicts = null) : ISignatureCheck
{
    // Imported once per key: NSec checks the encoding on import, which a per-signature import would repeat. Only keys
    // of the trusted set reach a signature check (the verifier refuses foreign signers first), so this stays small.
    private readonly ConcurrentDictionary<string, PublicKey?> keys = new(StringComparer.Ordinal);

    /// <summary>The verdicts this check keeps and how often they were reused.</summary>
    public SignatureVerdictCache Verdicts { get; } = verdicts ?? new SignatureVerdictCache();

    public bool Verify(byte[] publicKey, byte[] message, byte[] signature) => Verdicts.Verify(publicKey, message, signature, VerifyWithSodium);

    private bool VerifyWithSodium(byte[] publicKey, byte[] message, byte[] signature)
    {
        ArgumentNullException.ThrowIfNull(publicKey);
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(signature);
        if (publicKey.Length != SignatureAlgorithm.Ed25519.PublicKeySize || signature.Length != SignatureAlgorithm.Ed25519.SignatureSize) return false;
        PublicKey? key = keys.GetOrAdd(Convert.ToHexString(publicKey), _ =>
            PublicKey.TryImport(SignatureAlgorithm.Ed25519, publicKey, KeyBlobFormat.RawPublicKey, out PublicKey? imported) ? imported : null);
        return key is not null && SignatureAlgorithm.Ed25519.Verify(key, message, signature);
    }
}
