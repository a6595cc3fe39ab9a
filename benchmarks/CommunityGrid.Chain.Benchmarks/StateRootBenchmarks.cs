using System.Collections.Generic;
using BenchmarkDotNet.Attributes;
using CommunityGrid.Chain.State;
using CommunityGrid.Chain.Transactions;

namespace CommunityGrid.Chain.Benchmarks;

/// <summary>
/// The state-root update cost of one block at 10k / 100k / 1M state entries (issue 18). The state is shaped like a
/// community after a day: one meter per house, each house with its balance, member, member key, pending energy,
/// meter, meter key and 94 recent/ readings (100 entries a house). The block is 90 readings from meters spread over
/// the state, each updating its meter, adding a recent/ entry and a pending/ entry of the new interval, and deleting
/// its oldest recent/ entry (the retention window moving on), so the state keeps its size and freed slots are reused.
/// The state holds no recent/ entries since schema version 3 (docs/chain.md §3); they stay here as the keys a block
/// creates and deletes, so that the figures compare with those measured before, and the sizes stay those of issue 18.
/// Two such blocks alternate, so no computation answers from its memory of the previous call.
/// </summary>
/// <remarks>
/// Baseline, per size: the positional tree of format 1 as the gateway computed it before (<see cref="PositionalStateRoot"/>:
/// leaf hashes cached, every interior node recomputed). The ratio column is the incremental tree's cost against it.
/// </remarks>
[ShortRunJob]
[MemoryDiagnoser(false)]
public class StateRootBenchmarks
{
    private const int IntervalSeconds = 900;
    private const long DayStart = 1_780_000_000 / IntervalSeconds * IntervalSeconds;
    private const int RecentPerMeter = 94;
    private const int EntriesPerHouse = RecentPerMeter + 6;
    private const int ReadingsPerBlock = 90;

    private readonly IReadOnlyList<StateChange>[] changes = new IReadOnlyList<StateChange>[2];
    private PositionalStateRoot positional = null!;
    private IncrementalStateTree incremental = null!;
    private int call;

    [Params(10_000, 100_000, 1_000_000)]
    public int Entries { get; set; }

    private int Houses => Entries / EntriesPerHouse;

    [GlobalSetup]
    public void Setup()
    {
        var state = new StateEntries();
        var initial = new List<StateChange>(Entries);
        for (int h = 0; h < Houses; h++)
        {
            initial.Add(new(StateKeys.Balance(House(h)), StateValues.EncodeInt(h * 1000)));
            initial.Add(new(StateKeys.Member(House(h)), StateValues.EncodeBytes(Key(h, 1))));
            initial.Add(new(StateKeys.MemberKey(Key(h, 1)), StateValues.EncodeText(House(h))));
            initial.Add(new(StateKeys.Pending(Interval(RecentPerMeter - 1), House(h)), StateValues.EncodePair(h, h)));
            initial.Add(new(StateKeys.Meter(Meter(h)), Record(h, RecentPerMeter, 0).Encode()));
            initial.Add(new(StateKeys.MeterKey(Key(h, 2)), StateValues.EncodeText(Meter(h))));
            for (int i = 0; i < RecentPerMeter; i++)
            {
                initial.Add(new(Recent(Interval(i), Meter(h), i + 1), StateValues.EncodeBytes(Key(h, i + 3))));
            }
        }
        state.Apply(initial);
        positional = new PositionalStateRoot(state);
        incremental = IncrementalStateTree.InKeyOrder(state);
        for (int variant = 0; variant < changes.Length; variant++) changes[variant] = Block(state, variant).Changes();
    }

    private StateOverlay Block(StateEntries state, int variant)
    {
        var overlay = new StateOverlay(state);
        long next = Interval(RecentPerMeter);
        for (int r = 0; r < ReadingsPerBlock; r++)
        {
            int h = (int)((long)r * Houses / ReadingsPerBlock);
            overlay.Set(StateKeys.Meter(Meter(h)), Record(h, RecentPerMeter + 1, variant + 1).Encode());
            overlay.Set(Recent(next, Meter(h), RecentPerMeter + 1), StateValues.EncodeBytes(Key(h, 200 + variant)));
            overlay.Delete(Recent(Interval(0), Meter(h), 1));
            overlay.Set(StateKeys.Pending(next, House(h)), StateValues.EncodePair(variant, r));
        }
        return overlay;
    }

    /// <summary>The shape of state format 2's duplicate-detection keys: one created and one deleted per reading.</summary>
    private static string Recent(long intervalStart, string meterId, long sequence) =>
        "recent/" + intervalStart.ToString("D19", System.Globalization.CultureInfo.InvariantCulture) + "/" + meterId + "/" +
        sequence.ToString("D19", System.Globalization.CultureInfo.InvariantCulture);

    private static long Interval(int i) => DayStart + (long)i * IntervalSeconds;

    private static string House(int h) => "house-" + h.ToString("D6");

    private static string Meter(int m) => "meter-" + m.ToString("D6");

    /// <summary>Distinct 32 bytes per (owner, salt), standing in for keys and transaction ids.</summary>
    private static byte[] Key(int owner, int salt)
    {
        var key = new byte[32];
        for (int i = 0; i < key.Length; i++) key[i] = (byte)(owner * 31 + salt * 7 + i);
        key[0] = (byte)owner;
        key[1] = (byte)(owner >> 8);
        key[2] = (byte)(owner >> 16);
        key[3] = (byte)salt;
        return key;
    }

    private static MeterRecord Record(int m, long sequence, long extra) =>
        new(Key(m, 2), House(m), MeterRole.ConnectionPoint, sequence, DayStart + (sequence - 1) * IntervalSeconds, sequence * 120 + extra, sequence * 80, 0);

    private int Next() => call++ & 1;

    [Benchmark(Baseline = true, Description = "format 1: positional tree, cached leaves, all nodes rehashed (before)")]
    public byte[] Positional() => positional.RootAfter(changes[Next()]);

    [Benchmark(Description = "format 2: slotted tree, changed leaves and their subtrees only (after)")]
    public byte[] Incremental() => incremental.RootAfter(changes[Next()]);
}
