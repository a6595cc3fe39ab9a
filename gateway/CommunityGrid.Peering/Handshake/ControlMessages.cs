using System;
using System.Text;

namespace CommunityGrid.Peering.Handshake;

/// <summary>
/// Messages on channel 0, the network's own: the handshake (hello, proof, refusal) and keepalive pings. The first
/// payload byte is the kind (docs/peering.md, "Control channel").
/// </summary>
internal static class ControlMessages
{
    public const byte Channel = 0;
    public const byte ProtocolVersion = 1;
    public const int NonceBytes = 32;
    public const int SignatureBytes = 64;
    public const int MaxReasonBytes = 200;
    /// <summary>Handshake frames are small; a larger one before authentication is refused without reading it.</summary>
    public const int MaxHandshakeFrameBytes = 512;

    public const byte HelloKind = 1;
    public const byte ProofKind = 2;
    public const byte RefusalKind = 3;
    public const byte PingKind = 4;

    public sealed record Hello(byte Version, PeerKey Key, byte[] Nonce, string ChainId);

    public static byte[] EncodeHello(Hello hello)
    {
        byte[] chainId = Encoding.UTF8.GetBytes(hello.ChainId);
        byte[] bytes = new byte[2 + PeerKey.Size + NonceBytes + chainId.Length];
        bytes[0] = HelloKind;
        bytes[1] = hello.Version;
        hello.Key.Bytes.CopyTo(bytes.AsSpan(2));
        hello.Nonce.CopyTo(bytes.AsSpan(2 + PeerKey.Size));
        chainId.CopyTo(bytes.AsSpan(2 + PeerKey.Size + NonceBytes));
        return bytes;
    }

    public static Hello DecodeHello(byte[] payload)
    {
        ThrowIfRefusal(payload);
        int fixedPart = 2 + PeerKey.Size + NonceBytes;
        if (payload.Length < fixedPart + 1 || payload[0] != HelloKind)
        {
            throw new PeerProtocolException("expected a hello as the first message after TLS");
        }
        string chainId;
        try
        {
            chainId = new UTF8Encoding(false, true).GetString(payload, fixedPart, payload.Length - fixedPart);
        }
        catch (DecoderFallbackException)
        {
            throw new PeerProtocolException("the hello's chain id is not UTF-8");
        }
        return new Hello(
            payload[1],
            PeerKey.FromBytes(payload.AsSpan(2, PeerKey.Size)),
            payload.AsSpan(2 + PeerKey.Size, NonceBytes).ToArray(),
            chainId);
    }

    public static byte[] EncodeProof(byte[] signature)
    {
        byte[] bytes = new byte[1 + SignatureBytes];
        bytes[0] = ProofKind;
        signature.CopyTo(bytes, 1);
        return bytes;
    }

    public static byte[] DecodeProof(byte[] payload)
    {
        ThrowIfRefusal(payload);
        if (payload.Length != 1 + SignatureBytes || payload[0] != ProofKind)
        {
            throw new PeerProtocolException("expected the key proof after the hello");
        }
        return payload.AsSpan(1).ToArray();
    }

    public static byte[] EncodeRefusal(string reason)
    {
        byte[] text = Encoding.UTF8.GetBytes(reason);
        int length = Math.Min(text.Length, MaxReasonBytes);
        byte[] bytes = new byte[1 + length];
        bytes[0] = RefusalKind;
        Array.Copy(text, 0, bytes, 1, length);
        return bytes;
    }

    public static readonly byte[] Ping = [PingKind];

    public static void ThrowIfRefusal(byte[] payload)
    {
        if (payload.Length >= 1 && payload[0] == RefusalKind)
        {
            // The peer's words are shown, not trusted: replace anything unprintable.
            string reason = Encoding.UTF8.GetString(payload, 1, payload.Length - 1);
            var clean = new StringBuilder(reason.Length);
            foreach (char c in reason)
            {
                clean.Append(char.IsControl(c) ? '?' : c);
            }
            throw new PeerProtocolException($"the peer refused this node: {clean}");
        }
    }
}
