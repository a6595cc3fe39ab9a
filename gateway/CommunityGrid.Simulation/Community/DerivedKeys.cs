using System;
using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using CommunityGrid.Formats.Signing;

namespace CommunityGrid.Simulation.Community;

/// <summary>
/// Every key of a simulated community comes from the run's seed: Ed25519 seed = SHA-256(int64 big-endian seed ‖
/// UTF-8 owner ‖ 0x00 ‖ UTF-8 role). The same --seed therefore gives the same keys, genesis and chain. These keys
/// are for simulation only: anyone who knows the seed knows them.
/// </summary>
public static class DerivedKeys
{
    public static byte[] Seed(long seed, string owner, string role)
    {
        byte[] ownerBytes = Encoding.UTF8.GetBytes(owner);
        byte[] roleBytes = Encoding.UTF8.GetBytes(role);
        var input = new byte[8 + ownerBytes.Length + 1 + roleBytes.Length];
        BinaryPrimitives.WriteInt64BigEndian(input, seed);
        ownerBytes.CopyTo(input, 8);
        roleBytes.CopyTo(input, 9 + ownerBytes.Length);
        return SHA256.HashData(input);
    }

    public static Ed25519Signer Signer(long seed, string owner, string role) => Ed25519Signer.FromSeed(Seed(seed, owner, role));

    public static string Hex(byte[] key) => Convert.ToHexStringLower(key);
}
