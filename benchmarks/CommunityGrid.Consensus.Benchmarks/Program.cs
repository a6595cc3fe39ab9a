using System;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using System.Threading.Tasks;
using CommunityGrid.Node.Hosting;

namespace CommunityGrid.Consensus.Benchmarks;

/// <summary>
/// Commit latency (reading offered → its ack released after the commit) at a steady trickle, and throughput
/// (a burst of one reading per meter until every one is acknowledged), for one gateway and for four, in one run.
/// Figures are wall time on this machine; compare the two columns, not the absolute numbers.
/// </summary>
public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        int meters = ArgOr(args, "--meters", 2000);
        int trickle = ArgOr(args, "--trickle", 200);
        Console.WriteLine($"consensus benchmark: {meters} meters, trickle of {trickle} readings at 50/s, then a burst of {meters - trickle}");
        Figures one = await RunAsync(1, meters, trickle);
        Figures four = await RunAsync(4, meters, trickle);
        Console.WriteLine();
        Console.WriteLine("| gateways | commit latency p50 | p99 | burst readings/s | heights | rounds per height |");
        Console.WriteLine("|---|---|---|---|---|---|");
        foreach (Figures f in new[] { one, four }) Console.WriteLine(f.Row());
        Console.WriteLine($"ratio 4/1: latency p50 {Ratio(four.P50Ms, one.P50Ms)}, p99 {Ratio(four.P99Ms, one.P99Ms)}, throughput {Ratio(four.PerSecond, one.PerSecond)}");
        return 0;
    }

    private static async Task<Figures> RunAsync(int gateways, int meters, int trickle)
    {
        using var community = new BenchCommunity(gateways, meters);
        var acked = new ConcurrentDictionary<string, long>(StringComparer.Ordinal);
        var nodes = new GatewayNode[gateways];
        for (int g = 0; g < gateways; g++) nodes[g] = await GatewayNode.StartAsync(community.Options(g, ack => acked.TryAdd(ack.MeterId, Stopwatch.GetTimestamp())));
        try
        {
            await WaitAsync(() => gateways == 1 || nodes.All(n => n.PeerStatuses.All(p => p.Connected)), TimeSpan.FromSeconds(30));
            long interval = DateTimeOffset.UtcNow.ToUnixTimeSeconds() / BenchCommunity.IntervalSeconds * BenchCommunity.IntervalSeconds - BenchCommunity.IntervalSeconds;
            var offered = new long[meters];
            // Trickle: one reading every 20 ms, each to the gateway of its street (meter index mod gateways).
            for (int m = 0; m < trickle; m++)
            {
                offered[m] = Stopwatch.GetTimestamp();
                nodes[m % gateways].Intake.Offer(community.Meters[m].Id, community.Reading(m, interval));
                await Task.Delay(20);
            }
            await WaitAsync(() => Enumerable.Range(0, trickle).All(m => acked.ContainsKey(community.Meters[m].Id)), TimeSpan.FromSeconds(60));
            double[] latencies = Enumerable.Range(0, trickle)
                .Select(m => Stopwatch.GetElapsedTime(offered[m], acked[community.Meters[m].Id]).TotalMilliseconds).Order().ToArray();
            // Burst: the rest at once.
            long burstStart = Stopwatch.GetTimestamp();
            for (int m = trickle; m < meters; m++) nodes[m % gateways].Intake.Offer(community.Meters[m].Id, community.Reading(m, interval));
            await WaitAsync(() => acked.Count == meters, TimeSpan.FromSeconds(300));
            double burstSeconds = Stopwatch.GetElapsedTime(burstStart).TotalSeconds;
            CommunityGrid.Api.ConsensusFigures? consensus = nodes[0].Metrics.Snapshot().Consensus;
            return new Figures(gateways, Percentile(latencies, 0.50), Percentile(latencies, 0.99), (meters - trickle) / burstSeconds,
                nodes[0].Height, consensus is null ? 1.0 : (double)consensus.RoundsTotal / Math.Max(1, consensus.HeightsDecided));
        }
        finally
        {
            foreach (GatewayNode node in nodes) await node.DisposeAsync();
        }
    }

    private static double Percentile(double[] sorted, double p) => sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];

    private static async Task WaitAsync(Func<bool> condition, TimeSpan limit)
    {
        var watch = Stopwatch.StartNew();
        while (!condition())
        {
            if (watch.Elapsed > limit) throw new TimeoutException($"benchmark condition not met within {limit.TotalSeconds} s");
            await Task.Delay(10);
        }
    }

    private static int ArgOr(string[] args, string name, int fallback)
    {
        int i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length && int.TryParse(args[i + 1], NumberStyles.None, CultureInfo.InvariantCulture, out int v) ? v : fallback;
    }

    private static string Ratio(double a, double b) => (a / b).ToString("0.00", CultureInfo.InvariantCulture) + "×";

    private sealed record Figures(int Gateways, double P50Ms, double P99Ms, double PerSecond, long Height, double RoundsPerHeight)
    {
        public string Row() => string.Create(CultureInfo.InvariantCulture,
            $"| {Gateways} | {P50Ms:0} ms | {P99Ms:0} ms | {PerSecond:0} | {Height} | {RoundsPerHeight:0.00} |");
    }
}
