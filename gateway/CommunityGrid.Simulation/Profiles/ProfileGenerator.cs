using System;

namespace CommunityGrid.Simulation.Profiles;

/// <summary>
/// Turns a house's traits, the site and the weather into integer Wh per 15-minute interval. Floating point is used
/// inside (with <see cref="PortableMath"/> for the transcendental functions) and every 5-minute step is rounded to
/// whole mWh once; registers are the floors of the cumulative mWh, so the output is integers that are identical on
/// every machine for the same seed.
/// </summary>
public static class ProfileGenerator
{
    public const int IntervalSeconds = 900;
    public const int StepsPerInterval = 3;
    private const int StepSeconds = IntervalSeconds / StepsPerInterval;
    private const int StepsPerDay = 86400 / StepSeconds;
    private const double StepHours = StepSeconds / 3600.0;

    /// <param name="startUtc">Midnight UTC of the first day.</param>
    public static HouseSeries Generate(HouseTraits house, Site site, Weather weather, long seed, DateTime startUtc, int days)
    {
        if (days > weather.Days) throw new ArgumentException($"the weather covers {weather.Days} days, {days} were asked for", nameof(days));
        Random random = SeededRandom.For(seed, house.HouseId, "load");
        int intervals = days * StepsPerDay / StepsPerInterval;
        var pv = new long[intervals];
        var load = new long[intervals];
        var import = new long[intervals];
        var export = new long[intervals];
        var cumulative = new Registers();
        var dayLoad = new long[StepsPerDay];
        for (int day = 0; day < days; day++)
        {
            DateTime dayStart = startUtc.AddDays(day);
            DayLoad(house, site, dayStart, random, dayLoad);
            for (int step = 0; step < StepsPerDay; step++)
            {
                DateTime middle = dayStart.AddSeconds(step * StepSeconds + StepSeconds / 2);
                long pvMilliWh = PvMilliWattHours(house, site, weather, day, step, middle);
                cumulative.Add(pvMilliWh, dayLoad[step]);
                if ((step + 1) % StepsPerInterval == 0)
                {
                    int interval = (day * StepsPerDay + step) / StepsPerInterval;
                    cumulative.CloseInterval(interval, pv, load, import, export);
                }
            }
        }
        return new HouseSeries(house.HouseId, pv, load, import, export);
    }

    private static long PvMilliWattHours(HouseTraits house, Site site, Weather weather, int day, int step, DateTime utc)
    {
        if (!house.HasPv) return 0;
        double ghi = ClearSky.HaurwitzGhi(SolarGeometry.CosZenith(site, utc.DayOfYear, utc.TimeOfDay.TotalHours, DateTime.IsLeapYear(utc.Year) ? 366 : 365));
        if (ghi <= 0) return 0;
        double watts = house.PeakKilowatts * ghi * house.PerformanceRatio * house.ArrayFactor * weather.ClearSkyFraction(day, step / StepsPerInterval);
        return (long)Math.Round(watts * StepHours * 1000);
    }

    /// <summary>
    /// One UTC day of load in mWh per 5-minute step: the dynamised H0 shape scaled to the annual consumption, times
    /// slow multiplicative noise, plus an evening cooking peak; then rescaled so the day keeps the H0 day's energy
    /// times a day-to-day factor. Noise and peaks therefore move energy within the day but do not change the year.
    /// </summary>
    private static void DayLoad(HouseTraits house, Site site, DateTime dayStartUtc, Random random, long[] milliWattHours)
    {
        var baseWatts = new double[StepsPerDay];
        var shaped = new double[StepsPerDay];
        double baseSum = 0, shapedSum = 0, noise = 0;
        double peakStartHour = random.Uniform(17.0, 19.5);
        double peakHours = random.Uniform(20, 50) / 60;
        double peakWatts = random.NextDouble() < 0.8 ? random.Uniform(1000, 2500) : 0;
        double dayFactor = Math.Clamp(1 + 0.1 * random.StandardNormal(), 0.7, 1.3);
        for (int step = 0; step < StepsPerDay; step++)
        {
            DateTime local = LocalClock.ToLocal(site, dayStartUtc.AddSeconds(step * StepSeconds + StepSeconds / 2));
            int quarter = (local.Hour * 60 + local.Minute) / 15;
            double watts = LoadShape.StaticWatts(LoadShape.SeasonOf(local), LoadShape.DayTypeOf(local), quarter)
                * LoadShape.Dynamisation(local.DayOfYear) * house.AnnualKilowattHours / 1000;
            noise = 0.8 * noise + 0.2 * 0.6 * random.StandardNormal();
            double localHours = local.TimeOfDay.TotalHours;
            bool cooking = localHours >= peakStartHour && localHours < peakStartHour + peakHours;
            baseWatts[step] = watts;
            shaped[step] = watts * Math.Max(0.2, 1 + noise) + (cooking ? peakWatts : 0);
            baseSum += watts;
            shapedSum += shaped[step];
        }
        double scale = baseSum * dayFactor / shapedSum;
        for (int step = 0; step < StepsPerDay; step++) milliWattHours[step] = (long)Math.Round(shaped[step] * scale * StepHours * 1000);
    }

    /// <summary>Cumulative mWh counters; an interval's Wh is the difference of the floors, so nothing is lost to rounding.</summary>
    private sealed class Registers
    {
        private long pv, load, import, export;
        private long pvAtStart, loadAtStart, importAtStart, exportAtStart;

        public void Add(long pvMilliWh, long loadMilliWh)
        {
            pv += pvMilliWh;
            load += loadMilliWh;
            long net = loadMilliWh - pvMilliWh;
            if (net > 0) import += net;
            else export -= net;
        }

        public void CloseInterval(int interval, long[] pvWh, long[] loadWh, long[] importWh, long[] exportWh)
        {
            pvWh[interval] = pv / 1000 - pvAtStart;
            loadWh[interval] = load / 1000 - loadAtStart;
            importWh[interval] = import / 1000 - importAtStart;
            exportWh[interval] = export / 1000 - exportAtStart;
            (pvAtStart, loadAtStart, importAtStart, exportAtStart) = (pv / 1000, load / 1000, import / 1000, export / 1000);
        }
    }
}
