using System;
using System.Linq;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using CommunityGrid.Meter.Configuration;
using CommunityGrid.Meter.Storage;

namespace CommunityGrid.Meter.Tests.Configuration;

/// <summary>
/// The CA file as nanoFramework's X509Certificate(byte[]) needs it: mbedTLS parses a buffer as PEM only when it ends
/// with a zero byte that its length counts (issue 15 case 1: without it TLS never started on the device).
/// </summary>
public sealed class CaCertificateFileTests
{
    private static byte[] Pem()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=CommunityGrid test CA", key, HashAlgorithmName.SHA256);
        using X509Certificate2 ca = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
        return Encoding.ASCII.GetBytes(ca.ExportCertificatePem() + "\n");
    }

    [Fact]
    public void A_PEM_file_as_written_gets_one_terminating_zero_byte()
    {
        byte[] pem = Pem();
        Assert.NotEqual(0, pem[^1]);
        var store = new MemoryFileStore();
        store.Put("gateway-ca.pem", pem);

        byte[] prepared = CaCertificateFile.Load(store, "gateway-ca.pem");

        Assert.Equal(pem.Length + 1, prepared.Length);
        Assert.Equal(0, prepared[^1]);
        Assert.Equal(pem, prepared.Take(pem.Length).ToArray());
        // Idempotent: an already terminated file is not given a second zero.
        Assert.Equal(prepared, CaCertificateFile.ForDevice(prepared, "gateway-ca.pem"));
        // What is before the terminator is still the certificate.
        using var parsed = X509Certificate2.CreateFromPem(Encoding.ASCII.GetString(prepared, 0, prepared.Length - 1));
        Assert.Equal("CN=CommunityGrid test CA", parsed.Subject);
    }

    [Fact]
    public void A_DER_file_is_passed_unchanged()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using X509Certificate2 ca = new CertificateRequest("CN=der", key, HashAlgorithmName.SHA256).CreateSelfSigned(DateTimeOffset.UtcNow, DateTimeOffset.UtcNow.AddDays(1));
        byte[] der = ca.RawData;
        Assert.Same(der, CaCertificateFile.ForDevice(der, "ca.der"));
    }

    [Fact]
    public void A_file_that_is_no_certificate_is_a_config_error_naming_the_key_and_the_fix()
    {
        var error = Assert.Throws<ConfigException>(() => CaCertificateFile.ForDevice(Encoding.ASCII.GetBytes("not a certificate\n"), "gateway-ca.pem"));
        Assert.Equal("mqtt.ca", error.Key);
        Assert.Contains("'gateway-ca.pem' holds no '-----BEGIN CERTIFICATE-----' line; write the gateway's CA certificate as a PEM file", error.Message);
        Assert.Throws<ConfigException>(() => CaCertificateFile.ForDevice(new byte[0], "empty.pem"));
    }

    [Fact]
    public void A_missing_file_is_a_config_error()
    {
        var error = Assert.Throws<ConfigException>(() => CaCertificateFile.Load(new MemoryFileStore(), "gateway-ca.pem"));
        Assert.Equal("mqtt.ca: the file 'gateway-ca.pem' is missing; write the gateway's CA certificate (PEM) to the meter next to the configuration", error.Message);
    }
}
