using System;
using System.Collections.Generic;
using CommunityGrid.Consensus;
using CommunityGrid.Formats.Signing;

namespace CommunityGrid.Consensus.Tests.Support;

/// <summary>Deterministic validator keys (seed = index repeated) and the set they form, in set (sorted) order.</summary>
public sealed class TestKeys : IDisposable
{
    private readonly Ed25519Signer[] signers;

    public TestKeys(int count, byte salt = 0)
    {
        var created = new List<Ed25519Signer>();
        for (int i = 0; i < count; i++)
        {
            var seed = new byte[Ed25519Signer.SeedSize];
            Array.Fill(seed, (byte)(i + 1));
            seed[0] = salt;
            created.Add(Ed25519Signer.FromSeed(seed));
        }
        // Ordered as the set orders them, so key i is validator index i.
        created.Sort((a, b) => a.PublicKey.AsSpan().SequenceCompareTo(b.PublicKey));
        signers = created.ToArray();
        var keys = new List<byte[]>();
        foreach (Ed25519Signer signer in signers) keys.Add(signer.PublicKey);
        Set = new ValidatorSet(keys);
    }

    public ValidatorSet Set { get; }

    public int Count => signers.Length;

    public Ed25519Signer this[int index] => signers[index];

    public void Dispose()
    {
        foreach (Ed25519Signer signer in signers) signer.Dispose();
    }
}
