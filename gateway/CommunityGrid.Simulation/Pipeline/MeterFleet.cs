using System;
using System.Collections.Generic;
using System.Threading.Tasks;
using CommunityGrid.Simulation.Community;
using CommunityGrid.Simulation.Profiles;

namespace CommunityGrid.Simulation.Pipeline;

/// <summary>Every meter of a community, with its house's profiles generated for the simulated period.</summary>
public static class MeterFleet
{
    public static List<VirtualMeter> Create(SimulatedCommunity community, SimulationOptions options)
    {
        var weather = new Weather(options.Community.Seed, options.Days);
        DateTime startUtc = DateTime.SpecifyKind(options.Start.ToDateTime(TimeOnly.MinValue), DateTimeKind.Utc);
        var series = new HouseSeries[community.Houses.Count];
        // Houses are independent streams, so generating them in parallel changes no value.
        Parallel.For(0, series.Length, i =>
            series[i] = Truncated(ProfileGenerator.Generate(community.Houses[i].Traits, options.Community.Site, weather, options.Community.Seed, startUtc, options.Days), options));
        var meters = new List<VirtualMeter>();
        for (int i = 0; i < community.Houses.Count; i++)
        {
            SimulatedHouse house = community.Houses[i];
            Random phases = SeededRandom.For(options.Community.Seed, house.HouseId, "poll-phase");
            meters.Add(new VirtualMeter(house.GridMeter, series[i], community.Genesis.ChainId, options.StartUnixSeconds, phases.Next(1, 26)));
            if (house.PvMeter is { } pv) meters.Add(new VirtualMeter(pv, series[i], community.Genesis.ChainId, options.StartUnixSeconds, phases.Next(1, 26)));
        }
        return meters;
    }

    /// <summary>Only the simulated period's intervals (<see cref="SimulationOptions.Hours"/>): the meters stop reading after it.</summary>
    private static HouseSeries Truncated(HouseSeries series, SimulationOptions options)
    {
        int intervals = (int)(options.PeriodSeconds / ProfileGenerator.IntervalSeconds);
        if (intervals >= series.Intervals) return series;
        return series with { PvWh = series.PvWh[..intervals], LoadWh = series.LoadWh[..intervals], ImportWh = series.ImportWh[..intervals], ExportWh = series.ExportWh[..intervals] };
    }
}
