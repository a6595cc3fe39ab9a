using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;

namespace CommunityGrid.Peering.Handshake;

/// <summary>
/// TLS 1.3 only, both ends present their ephemeral certificate (mutual TLS). Certificates are not checked against
/// any authority here: any certificate is accepted and then bound into the Ed25519 key proof, so only the
/// certificate the TLS handshake proved the peer holds can carry a valid proof.
/// </summary>
internal sealed class TlsSetup
{
    private const string PeerHostName = "communitygrid-peer";

    private readonly SslStreamCertificateContext context;

    public X509Certificate2 Certificate { get; }

    public TlsSetup(X509Certificate2 certificate)
    {
        Certificate = certificate;
        context = SslStreamCertificateContext.Create(certificate, additionalCertificates: null, offline: true);
    }

    public SslClientAuthenticationOptions ForDialer() => new()
    {
        TargetHost = PeerHostName,
        EnabledSslProtocols = SslProtocols.Tls13,
        ClientCertificateContext = context,
        CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
        RemoteCertificateValidationCallback = (_, certificate, _, _) => certificate is not null,
    };

    public SslServerAuthenticationOptions ForListener() => new()
    {
        EnabledSslProtocols = SslProtocols.Tls13,
        ServerCertificateContext = context,
        ClientCertificateRequired = true,
        CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
        RemoteCertificateValidationCallback = (_, certificate, _, _) => certificate is not null,
    };
}
