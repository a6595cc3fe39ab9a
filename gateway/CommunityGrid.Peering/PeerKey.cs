using System;

namespace CommunityGrid.Peering;

/// <summary>A validator's Ed25519 public key (32 bytes), the identity of a peer. Compared and ordered bytewise.</summary>
public sealed class PeerKey : IEquatable<PeerKey>, IComparable<PeerKey>
{
    public const int Size = 32;

    private readonly byte[] bytes;

    public string Hex { get; }

    private PeerKey(byte[] bytes)
    {
        this.bytes = bytes;
        Hex = Convert.ToHexStringLower(bytes);
    }

    public static PeerKey FromBytes(ReadOnlySpan<byte> key)
    {
        if (key.Length != Size)
        {
            throw new ArgumentException($"an Ed25519 public key is {Size} bytes, not {key.Length}", nameof(key));
        }
        return new PeerKey(key.ToArray());
    }

    /// <summary>Parses 64 hex digits (either case), as the genesis validator set writes them.</summary>
    public static PeerKey FromHex(string hex)
    {
        ArgumentNullException.ThrowIfNull(hex);
        if (hex.Length != Size * 2)
        {
            throw new FormatException($"a validator key is {Size * 2} hex digits, not {hex.Length}: '{hex}'");
        }
        return new PeerKey(Convert.FromHexString(hex));
    }

    public ReadOnlySpan<byte> Bytes => bytes;

    public byte[] ToArray() => (byte[])bytes.Clone();

    public int CompareTo(PeerKey? other) => other is null ? 1 : bytes.AsSpan().SequenceCompareTo(other.bytes);

    public bool Equals(PeerKey? other) => other is not null && bytes.AsSpan().SequenceEqual(other.bytes);

    public override bool Equals(object? obj) => Equals(obj as PeerKey);

    public override int GetHashCode() => BitConverter.ToInt32(bytes, 0);

    /// <summary>The first 8 hex digits: enough to tell 3-7 gateways apart in a log line.</summary>
    public string Short => Hex[..8];

    public override string ToString() => Hex;
}
