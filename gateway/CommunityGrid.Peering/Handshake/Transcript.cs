using System;
using System.IO;
using System.Security.Cryptography;
using System.Text;

namespace CommunityGrid.Peering.Handshake;

/// <summary>
/// The bytes each end signs with its validator key (docs/peering.md, "The key proof"):
/// <c>"communitygrid/peering/v1" 0x00 || signer role || len(chain id) || chain id || dialer key || listener key ||
/// dialer nonce || listener nonce || SHA-256(dialer certificate) || SHA-256(listener certificate)</c>.
/// Each end builds it from its own view of the TLS connection; a relay that terminates TLS shows each end a
/// different certificate, so the two views, and thus the signatures, no longer match.
/// </summary>
internal static class Transcript
{
    private static readonly byte[] Domain = Encoding.ASCII.GetBytes("communitygrid/peering/v1\0");

    public sealed record Parts(
        string ChainId,
        PeerKey DialerKey,
        PeerKey ListenerKey,
        byte[] DialerNonce,
        byte[] ListenerNonce,
        byte[] DialerCertificate,
        byte[] ListenerCertificate);

    public static byte[] Build(HandshakeRole signer, Parts parts)
    {
        byte[] chainId = Encoding.UTF8.GetBytes(parts.ChainId);
        if (chainId.Length > byte.MaxValue)
        {
            throw new ArgumentException("chain id longer than 255 bytes");
        }
        using var buffer = new MemoryStream();
        buffer.Write(Domain);
        buffer.WriteByte((byte)signer);
        buffer.WriteByte((byte)chainId.Length);
        buffer.Write(chainId);
        buffer.Write(parts.DialerKey.Bytes);
        buffer.Write(parts.ListenerKey.Bytes);
        buffer.Write(parts.DialerNonce);
        buffer.Write(parts.ListenerNonce);
        buffer.Write(SHA256.HashData(parts.DialerCertificate));
        buffer.Write(SHA256.HashData(parts.ListenerCertificate));
        return buffer.ToArray();
    }
}
