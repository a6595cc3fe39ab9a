using System;
using System.Collections.Generic;
using System.IO;
using System.Threading.Tasks;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using CommunityGrid.Clearing;
using CommunityGrid.Clearing.Model;
using CommunityGrid.Simulation.Community;
using CommunityGrid.Simulation.Pipeline;
using CommunityGrid.Simulation.Profiles;

namespace CommunityGrid.Simulation.Benchmarks;

/// <summary>
/// One simulated day of a community, whole and in parts. The direct path is the baseline; BenchmarkDotNet's Ratio
/// column then gives each part's share of it, and MQTT's ratio shows what the broker and node host add:
/// <list type="bullet">
/// <item>Meters: profiles plus every meter's polls, signing and queueing, acknowledged at once (no chain).</item>
/// <item>Clearing: the clearing engine over every interval's positions, as the chain would call it.</item>
/// <item>Direct − Meters − Clearing ≈ the gateway (block production, storage, state roots, verification on append).</item>
/// <item>Mqtt − Direct ≈ the transport: MQTT clients, the embedded broker and the node host.</item>
/// </list>
/// Each full run also prints its own measured stage split. Monitoring strategy: a run takes minutes, so one
/// iteration each, no warm-up beyond the first (JIT) run.
/// </summary>
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 1, iterationCount: 2)]
[MemoryDiagnoser(false)]
[Config(typeof(HouseIntervalsConfig))]
public class CommunityDayBenchmarks
{
    [Params(100)]
    public int Houses { get; set; }

    private readonly List<string> directories = [];

    public long HouseIntervals => Houses * 96L;

    [Benchmark(Baseline = true, Description = "direct: meters -> chain core")]
    public Task<SimulationResult> Direct() => RunAsync(mqtt: false);

    [Benchmark(Description = "mqtt: meters -> broker -> gateway node")]
    public Task<SimulationResult> Mqtt() => RunAsync(mqtt: true);

    [Benchmark(Description = "meters only (profiles, sign, queue)")]
    public long MetersOnly()
    {
        SimulationOptions options = Options();
        SimulatedCommunity community = SimulatedCommunity.Build(options.Community, options.StartUnixSeconds * 1000);
        List<VirtualMeter> meters = MeterFleet.Create(community, options);
        long made = 0;
        for (long now = options.StartUnixSeconds + 1; now <= options.EndUnixSeconds + 60; now += options.StepSeconds)
        {
            foreach (VirtualMeter meter in meters)
            {
                meter.Tick(now);
                foreach ((long sequence, _, _) in meter.DueForSending(now * 1000)) meter.Acknowledge(sequence);
            }
        }
        foreach (VirtualMeter meter in meters) made += meter.Made;
        return made;
    }

    [Benchmark(Description = "clearing only (engine, every interval)")]
    public long ClearingOnly()
    {
        SimulationOptions options = Options();
        SimulatedCommunity community = SimulatedCommunity.Build(options.Community, options.StartUnixSeconds * 1000);
        var weather = new Weather(options.Community.Seed, 1);
        var start = new DateTime(2026, 6, 1, 0, 0, 0, DateTimeKind.Utc);
        var series = new List<HouseSeries>();
        foreach (SimulatedHouse house in community.Houses) series.Add(ProfileGenerator.Generate(house.Traits, options.Community.Site, weather, options.Community.Seed, start, 1));
        long fund = 0;
        for (int interval = 0; interval < 96; interval++)
        {
            var positions = new List<HousePosition>(series.Count);
            foreach (HouseSeries s in series) positions.Add(new HousePosition(s.HouseId, s.ExportWh[interval], s.ImportWh[interval]));
            fund += ClearingEngine.Clear(new ClearingInput(ClearingMechanism.SupplyDemandRatio, 30, 8, 100, positions)).Community.FundIncome;
        }
        return fund;
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        foreach (string directory in directories) if (Directory.Exists(directory)) Directory.Delete(directory, recursive: true);
    }

    private async Task<SimulationResult> RunAsync(bool mqtt)
    {
        SimulationOptions options = Options();
        directories.Add(options.OutputDirectory);
        var simulation = new CommunitySimulation(options, mqtt ? context => new MqttTransport(context) : null);
        SimulationResult result = await simulation.RunAsync();
        StageTimes t = result.Times;
        Console.WriteLine($"// {result.TransportName}: {result.HouseIntervals / t.Total.TotalSeconds:0} house-intervals/s; profiles {t.Profiles.TotalSeconds:0.00} s, meters {t.Meters.TotalSeconds:0.00} s, transport {t.Transport.TotalSeconds:0.00} s, gateway {t.Gateway.TotalSeconds:0.00} s, clearing {(mqtt ? "(in gateway)" : t.Clearing.TotalSeconds.ToString("0.00"))} s, total {t.Total.TotalSeconds:0.00} s, {result.Blocks} blocks");
        return result;
    }

    private SimulationOptions Options() => new()
    {
        Community = new CommunityOptions { Houses = Houses, Seed = 42 },
        Start = new DateOnly(2026, 6, 1),
        Days = 1,
        OutputDirectory = Path.Combine(Path.GetTempPath(), "cgrid-bench", Guid.NewGuid().ToString("N")),
    };
}
