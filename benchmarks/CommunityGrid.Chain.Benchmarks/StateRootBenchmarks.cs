using System.Collections.Generic;
using BenchmarkDotNet.Attributes;
using CommunityGrid.Chain.State;
using CommunityGrid.Chain.Transactions;
using CommunityGrid.Protocol.Merkle;

namespace CommunityGrid.Chain.Benchmarks;

/// <summary>
/// The state root after one block on a state shaped like 100 houses with 170 meters after a simulated day
/// (~17,000 entries, nearly all recent/ readings): the block is 90 readings, each updating its meter, adding a
/// recent/ entry and adding to its house's pending energy. Two such blocks alternate, so the cached root never answers from its
/// memory of the previous call: every call does the work of a block nobody computed a root for yet.
/// </summary>
[ShortRunJob]
[MemoryDiagnoser(false)]
public class StateRootBenchmarks
{
    private const int Houses = 100;
    private const int Meters = 170;
    private const int IntervalSeconds = 900;
    private const long DayStart = 1_780_000_000 / IntervalSeconds * IntervalSeconds;
    private const int ReadingsPerBlock = 90;

    private readonly StateOverlay[] blocks = new StateOverlay[2];
    private readonly IReadOnlyList<StateChange>[] changes = new IReadOnlyList<StateChange>[2];
    private StateEntries state = null!;
    private CachedStateRoot cached = null!;
    private int call;

    [GlobalSetup]
    public void Setup()
    {
        state = new StateEntries();
        var initial = new List<StateChange> { new(StateKeys.Fund, StateValues.EncodeInt(0)), new(StateKeys.NextInterval, StateValues.EncodeInt(DayStart + 95 * IntervalSeconds)) };
        for (int h = 0; h < Houses; h++)
        {
            initial.Add(new(StateKeys.Balance(House(h)), StateValues.EncodeInt(h * 1000)));
            initial.Add(new(StateKeys.Member(House(h)), StateValues.EncodeBytes(Key(h, 1))));
            initial.Add(new(StateKeys.MemberKey(Key(h, 1)), StateValues.EncodeText(House(h))));
            initial.Add(new(StateKeys.Pending(DayStart + 95 * IntervalSeconds, House(h)), StateValues.EncodePair(h, h)));
        }
        for (int m = 0; m < Meters; m++)
        {
            initial.Add(new(StateKeys.Meter(Meter(m)), Record(m, 96, 0).Encode()));
            initial.Add(new(StateKeys.MeterKey(Key(m, 2)), StateValues.EncodeText(Meter(m))));
            for (int interval = 0; interval < 96; interval++)
            {
                initial.Add(new(StateKeys.Recent(DayStart + interval * IntervalSeconds, Meter(m), interval + 1), StateValues.EncodeBytes(Key(m, interval + 3))));
            }
        }
        state.Apply(initial);
        cached = new CachedStateRoot(state);
        for (int b = 0; b < blocks.Length; b++)
        {
            blocks[b] = Block(b);
            changes[b] = blocks[b].Changes();
        }
    }

    private StateOverlay Block(int variant)
    {
        var overlay = new StateOverlay(state);
        long interval = DayStart + 96 * IntervalSeconds;
        for (int m = 0; m < ReadingsPerBlock; m++)
        {
            overlay.Set(StateKeys.Meter(Meter(m)), Record(m, 97, variant + 1).Encode());
            overlay.Set(StateKeys.Recent(interval, Meter(m), 97), StateValues.EncodeBytes(Key(m, 200 + variant)));
            overlay.Set(StateKeys.Pending(interval, House(m % Houses)), StateValues.EncodePair(variant, m));
        }
        return overlay;
    }

    private static string House(int h) => "house-" + h.ToString("D3");

    private static string Meter(int m) => "meter-" + m.ToString("D3");

    /// <summary>Distinct 32 bytes per (owner, salt), standing in for keys and transaction ids.</summary>
    private static byte[] Key(int owner, int salt)
    {
        var key = new byte[32];
        for (int i = 0; i < key.Length; i++) key[i] = (byte)(owner * 31 + salt * 7 + i);
        key[0] = (byte)owner;
        key[1] = (byte)salt;
        return key;
    }

    private static MeterRecord Record(int m, long sequence, long extra) =>
        new(Key(m, 2), House(m % Houses), MeterRole.ConnectionPoint, sequence, DayStart + (sequence - 1) * IntervalSeconds, sequence * 120 + extra, sequence * 80, 0);

    private int Next() => call++ & 1;

    [Benchmark(Baseline = true, Description = "full, portable SHA-256 (before)")]
    public byte[] FullPortable() => StateTree.Root(blocks[Next()]);

    [Benchmark(Description = "full, platform SHA-256 (leaves re-encoded)")]
    public byte[] FullPlatform() => MerkleTree.Root(StateTree.Leaves(blocks[Next()]), BclMerkleHasher.Instance);

    [Benchmark(Description = "cached leaves, platform SHA-256 (after)")]
    public byte[] Cached() => cached.RootAfter(changes[Next()]);
}
