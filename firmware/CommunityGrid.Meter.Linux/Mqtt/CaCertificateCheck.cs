using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using MQTTnet;

namespace CommunityGrid.Meter.Linux.Mqtt
{
    /// <summary>
    /// Accepts a broker certificate when it chains to one of the CA certificates in a PEM file (a community usually
    /// runs its own small CA for its gateways) and names the host dialled. The system trust store is not consulted.
    /// </summary>
    public sealed class CaCertificateCheck
    {
        private readonly X509Certificate2Collection _roots = new();

        public CaCertificateCheck(string pemFile)
        {
            _roots.ImportFromPemFile(pemFile);
            if (_roots.Count == 0) throw new Config.ConfigException($"{pemFile} holds no PEM certificate");
        }

        public bool Validate(MqttClientCertificateValidationEventArgs args)
        {
            if (args.Certificate is null) return false;
            // A name mismatch stays fatal: the CA vouches for a gateway, the name check that it is the one we dialled.
            if ((args.SslPolicyErrors & (SslPolicyErrors.RemoteCertificateNameMismatch | SslPolicyErrors.RemoteCertificateNotAvailable)) != 0) return false;
            using var chain = new X509Chain();
            chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            chain.ChainPolicy.CustomTrustStore.AddRange(_roots);
            // Community CAs publish no revocation lists; a compromised gateway key is replaced by re-issuing the CA.
            chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
            if (args.Chain is not null)
            {
                foreach (X509ChainElement element in args.Chain.ChainElements) chain.ChainPolicy.ExtraStore.Add(element.Certificate);
            }
            using X509Certificate2 leaf = X509CertificateLoader.LoadCertificate(args.Certificate.GetRawCertData());
            return chain.Build(leaf);
        }
    }
}
