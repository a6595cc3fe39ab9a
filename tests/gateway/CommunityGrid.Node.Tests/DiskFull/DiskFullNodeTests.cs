using System;
using System.Collections.Concurrent;
using System.Linq;
using System.Threading.Tasks;
using CommunityGrid.Node.Acks;
using CommunityGrid.Node.Hosting;
using CommunityGrid.Node.Ingest;
using CommunityGrid.Node.Tests.Support;
using CommunityGrid.Node.Timing;
using CommunityGrid.Storage;
using Microsoft.Extensions.Logging;

namespace CommunityGrid.Node.Tests.DiskFull;

/// <summary>
/// A full disk loses nothing (operations.md, "Disk full"): an in-process node on a virtual clock with its own
/// production loop, its database capped at its current size (PRAGMA max_page_count, so SQLite itself reports
/// SQLITE_FULL), readings offered straight to its intake. Nothing is acknowledged and the tip does not move while
/// the disk is full; once the cap is raised the node stores the block by itself and acknowledges every reading once.
/// </summary>
public sealed class DiskFullNodeTests
{
    private const int ReadingsPerMeter = 10;
    private static readonly TimeSpan Period = TimeSpan.FromMilliseconds(50);
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task A_full_disk_acks_nothing_keeps_the_tip_and_the_readings_and_the_block_commits_once_there_is_room()
    {
        using var grid = new TestGrid(3);
        // The first interval has ended but is not due to close (grace 60 s) and the clock does not move, so the
        // only block the loop can make is the one holding the readings: the tip cannot move for another reason.
        long firstInterval = grid.GenesisTimeMs / 1000;
        var clock = new VirtualClock(grid.GenesisTimeMs + (TestGrid.IntervalSeconds + 1) * 1000L);
        var acks = new ConcurrentQueue<ReadingAck>();
        var log = new LogLines();
        using ILoggerFactory logging = LoggerFactory.Create(b => b.AddProvider(log));
        await using GatewayNode node = await GatewayNode.StartAsync(grid.NodeOptions(0) with
        {
            MqttEndpoint = null,
            Clock = clock,
            BlockPeriod = Period,
            OnAck = acks.Enqueue,
            LoggerFactory = logging,
            MaxPageCount = 1, // SQLite keeps the cap at the current size: the next new page is "disk full".
        });
        (long height, byte[] root) before = node.Read(s => (s.Height, s.State.StateRoot));

        string[] meters = grid.Meters.Keys.ToArray();
        foreach (string meter in meters)
        {
            for (int seq = 1; seq <= ReadingsPerMeter; seq++)
            {
                Assert.Equal(IntakeResult.Queued, node.Intake.Offer(meter, grid.Reading(meter, seq, 100 * seq, intervalStart: firstInterval)));
            }
        }
        int total = meters.Length * ReadingsPerMeter;

        await Waits.UntilAsync(() => node.StorageFull, Bound, "the node to report the full disk");
        // Let the loop retry a good number of rounds on the full disk, and let a meter resend meanwhile.
        await Task.Delay(Period * 10);
        Assert.Equal(IntakeResult.AlreadyPending, node.Intake.Offer(meters[0], grid.Reading(meters[0], 1, 100, intervalStart: firstInterval)));
        await Task.Delay(Period * 4);

        Assert.Empty(acks);
        Assert.True(node.StorageFull);
        Assert.True(node.Metrics.Snapshot().StorageFull);
        Assert.Equal(before.height, node.Height);
        Assert.Equal(before.root, node.Read(s => s.State.StateRoot));
        Assert.Equal(total, node.Pool.Count);
        Assert.Equal(0, node.AcksSent);
        string[] fullLines = log.Lines.Where(l => l.Text.StartsWith("disk full:", StringComparison.Ordinal)).Select(l => l.Text).ToArray();
        string fullLine = Assert.Single(fullLines);
        Assert.Contains($"cannot store block {before.height + 1} in {grid.DataDirectory}", fullLine, StringComparison.Ordinal);
        Assert.Contains("retries every 0.05 s and loses nothing", fullLine, StringComparison.Ordinal);
        Assert.Equal(LogLevel.Error, log.Lines.Single(l => l.Text == fullLine).Level);
        Assert.DoesNotContain(log.Lines, l => l.Text.StartsWith("block production failed", StringComparison.Ordinal));

        Assert.True(node.SetMaxPageCount(1_000_000) >= 1_000_000);

        await Waits.UntilAsync(() => acks.Count >= total, Bound, "every held reading to be acknowledged after space was freed");
        await Task.Delay(Period * 4); // room for a wrong second ack to show up
        Assert.Equal(total, acks.Count);
        Assert.All(acks, a => Assert.Equal(AckStatus.Committed, a.Status));
        Assert.All(acks.GroupBy(a => (a.MeterId, a.Sequence)), g => Assert.Single(g));
        Assert.Equal(meters.SelectMany(m => Enumerable.Range(1, ReadingsPerMeter).Select(s => (m, (long)s))).Order(),
            acks.Select(a => (a.MeterId, a.Sequence)).Order());
        Assert.All(acks, a => Assert.Equal(before.height + 1, a.BlockHeight));
        Assert.False(node.StorageFull);
        Assert.False(node.Metrics.Snapshot().StorageFull);
        Assert.Equal(before.height + 1, node.Height);
        Assert.Equal(0, node.Pool.Count);
        Assert.Single(log.Lines, l => l.Text.StartsWith("disk full:", StringComparison.Ordinal));
        Assert.Single(log.Lines, l => l.Text.StartsWith("disk has room again: block " + (before.height + 1), StringComparison.Ordinal));

        await node.DisposeAsync();
        using ChainStore reopened = ChainStore.Open(grid.DatabasePath, grid.Genesis, VerifyMode.Full);
        Assert.Equal(before.height + 1, reopened.Height);
        foreach (string meter in meters)
        {
            Assert.Equal(Enumerable.Range(1, ReadingsPerMeter).Select(s => (long)s), reopened.GetReadings(meter).Select(r => r.Sequence));
        }
    }

    /// <summary>Every formatted log line with its level, from any category.</summary>
    private sealed class LogLines : ILoggerProvider
    {
        public ConcurrentQueue<(LogLevel Level, string Text)> Lines { get; } = new();

        public ILogger CreateLogger(string categoryName) => new Sink(Lines);

        public void Dispose()
        {
        }

        private sealed class Sink(ConcurrentQueue<(LogLevel, string)> lines) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                lines.Enqueue((logLevel, formatter(state, exception)));
        }
    }
}
