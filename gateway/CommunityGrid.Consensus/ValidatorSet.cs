using System;
using System.Collections.Generic;

namespace CommunityGrid.Consensus;

/// <summary>
/// The validators of one height, one gateway one vote. Keys are sorted bytewise so that indices,
/// proposer rotation and thresholds are the same on every gateway whatever order the genesis lists.
/// </summary>
public sealed class ValidatorSet
{
    public const int KeySize = 32;
    private readonly byte[][] keys;

    public ValidatorSet(IEnumerable<byte[]> publicKeys)
    {
        ArgumentNullException.ThrowIfNull(publicKeys);
        var list = new List<byte[]>();
        foreach (byte[] key in publicKeys)
        {
            if (key is null || key.Length != KeySize)
            {
                throw new ArgumentException($"a validator key is {KeySize} bytes", nameof(publicKeys));
            }
            list.Add((byte[])key.Clone());
        }
        if (list.Count == 0)
        {
            throw new ArgumentException("a validator set has at least one validator", nameof(publicKeys));
        }
        list.Sort((a, b) => a.AsSpan().SequenceCompareTo(b));
        for (int i = 1; i < list.Count; i++)
        {
            if (list[i - 1].AsSpan().SequenceEqual(list[i]))
            {
                throw new ArgumentException($"validator key {Convert.ToHexStringLower(list[i])} is listed twice", nameof(publicKeys));
            }
        }
        keys = list.ToArray();
    }

    public int Count => keys.Length;

    /// <summary>2f+1: more than two thirds of the votes, floor(2n/3)+1.</summary>
    public int Quorum => 2 * keys.Length / 3 + 1;

    /// <summary>f+1: more than one third of the votes, floor(n/3)+1; enough to contain an honest validator.</summary>
    public int MoreThanOneThird => keys.Length / 3 + 1;

    public ReadOnlySpan<byte> KeyAt(int index) => keys[index];

    /// <summary>The index of a key in the sorted set, or -1 for a key that is not a validator.</summary>
    public int IndexOf(ReadOnlySpan<byte> publicKey)
    {
        int low = 0, high = keys.Length - 1;
        while (low <= high)
        {
            int middle = (low + high) / 2;
            int order = keys[middle].AsSpan().SequenceCompareTo(publicKey);
            if (order == 0) return middle;
            if (order < 0) low = middle + 1; else high = middle - 1;
        }
        return -1;
    }

    /// <summary>
    /// proposer(h, r): with equal power CometBFT's weighted round-robin is plain rotation over the
    /// sorted set, advancing by one per height and by one per round.
    /// </summary>
    public int ProposerIndex(long height, int round)
    {
        ulong position = (ulong)height + (ulong)round;
        return (int)(position % (ulong)keys.Length);
    }
}
