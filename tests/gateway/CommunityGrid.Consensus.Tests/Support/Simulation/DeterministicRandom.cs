namespace CommunityGrid.Consensus.Tests.Support.Simulation;

/// <summary>SplitMix64: the same seed gives the same sequence on every runtime (System.Random makes no such promise).</summary>
public sealed class DeterministicRandom
{
    private ulong state;

    public DeterministicRandom(ulong seed) => state = seed;

    public ulong NextUInt64()
    {
        ulong z = state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>Uniform in [0, bound).</summary>
    public int Next(int bound) => bound <= 1 ? 0 : (int)(NextUInt64() % (ulong)bound);

    /// <summary>Uniform in [low, high].</summary>
    public long Between(long low, long high) => low + (long)(NextUInt64() % (ulong)(high - low + 1));

    /// <summary>True with probability permille / 1000.</summary>
    public bool Chance(int permille) => permille > 0 && Next(1000) < permille;
}
