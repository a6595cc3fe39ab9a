using System;
using System.Collections.Generic;

namespace CommunityGrid.Simulation.Profiles;

public enum SkyCondition
{
    Clear,
    PartlyCloudy,
    Overcast,
}

/// <summary>
/// Day-to-day cloudiness shared by the whole street: a three-state Markov chain over days (in the spirit of
/// Aguiar et al. 1988, who generate daily clearness from Markov transition matrices), a daily clear-sky fraction per
/// state, and, on partly cloudy days, a smoothed random walk per quarter hour for passing clouds.
/// </summary>
public sealed class Weather
{
    // Rows: today's condition; columns: tomorrow's. Weather persists, so the diagonal dominates.
    private static readonly double[,] Transitions =
    {
        { 0.60, 0.30, 0.10 },
        { 0.30, 0.45, 0.25 },
        { 0.15, 0.35, 0.50 },
    };

    private readonly List<SkyCondition> conditions = [];
    private readonly List<double[]> quarterFactors = [];

    /// <param name="days">Days from the simulation's first day (day 0).</param>
    public Weather(long seed, int days)
    {
        Random random = SeededRandom.For(seed, "weather");
        var condition = (SkyCondition)random.Next(3);
        for (int day = 0; day < days; day++)
        {
            if (day > 0) condition = Next(condition, random.NextDouble());
            conditions.Add(condition);
            quarterFactors.Add(DayFactors(condition, random));
        }
    }

    public int Days => conditions.Count;

    public SkyCondition Condition(int day) => conditions[day];

    /// <summary>Fraction of clear-sky irradiance reaching the panels in quarter hour <paramref name="quarter"/> (0..95, UTC) of <paramref name="day"/>.</summary>
    public double ClearSkyFraction(int day, int quarter) => quarterFactors[day][quarter];

    private static SkyCondition Next(SkyCondition today, double u)
    {
        int row = (int)today;
        double cumulative = 0;
        for (int column = 0; column < 3; column++)
        {
            cumulative += Transitions[row, column];
            if (u < cumulative) return (SkyCondition)column;
        }
        return SkyCondition.Overcast;
    }

    private static double[] DayFactors(SkyCondition condition, Random random)
    {
        var factors = new double[96];
        (double low, double high, double swing) = condition switch
        {
            SkyCondition.Clear => (0.88, 1.0, 0.04),
            SkyCondition.PartlyCloudy => (0.45, 0.75, 0.30),
            _ => (0.12, 0.30, 0.06),
        };
        double mean = random.Uniform(low, high);
        double deviation = 0;
        for (int q = 0; q < factors.Length; q++)
        {
            // AR(1): clouds come and go over about an hour, not every quarter hour independently.
            deviation = 0.7 * deviation + 0.3 * swing * random.StandardNormal();
            factors[q] = Math.Clamp(mean + deviation, 0.05, 1.0);
        }
        return factors;
    }
}
