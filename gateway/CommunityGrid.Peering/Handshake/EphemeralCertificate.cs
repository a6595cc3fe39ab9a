using System;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace CommunityGrid.Peering.Handshake;

/// <summary>
/// The TLS certificate of this process: self-signed ECDSA P-256, made at start-up and never stored. Nobody trusts
/// it as such; what makes the channel authentic is the Ed25519 key proof that signs its hash (docs/peering.md).
/// </summary>
internal static class EphemeralCertificate
{
    public static X509Certificate2 Create()
    {
        using ECDsa key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=communitygrid-peer", key, HashAlgorithmName.SHA256);
        DateTimeOffset now = DateTimeOffset.UtcNow;
        // Validity is not checked by peers (the key proof is); a wide window only avoids surprises with skewed clocks.
        return request.CreateSelfSigned(now.AddDays(-1), now.AddYears(10));
    }
}
