using System;
using System.Globalization;
using System.IO;
using System.Reflection;

namespace CommunityGrid.Simulation.Profiles;

public enum LoadSeason
{
    Winter,
    Summer,
    Transition,
}

public enum LoadDayType
{
    Workday,
    Saturday,
    Sunday,
}

/// <summary>
/// The BDEW H0 standard household load profile (static table, embedded as Profiles/bdew-h0.csv) and its
/// dynamisation polynomial. Power is for an annual consumption of 1000 kWh; scale linearly for others.
/// Seasons and day types follow the BDEW definitions; public holidays other than 24/31 December are not modelled.
/// </summary>
public static class LoadShape
{
    public const int QuartersPerDay = 96;
    private static readonly int[,] CentiWatts = Load();

    /// <summary>Static H0 power in W at 1000 kWh/a for the quarter hour starting at <paramref name="quarter"/> × 15 min local time.</summary>
    public static double StaticWatts(LoadSeason season, LoadDayType dayType, int quarter) =>
        CentiWatts[quarter, (int)season * 3 + (int)dayType] / 100.0;

    public static LoadSeason SeasonOf(DateTime localDate)
    {
        int md = localDate.Month * 100 + localDate.Day;
        if (md >= 1101 || md <= 320) return LoadSeason.Winter;
        if (md >= 515 && md <= 914) return LoadSeason.Summer;
        return LoadSeason.Transition;
    }

    /// <summary>Sundays are Sundays; 24 and 31 December count as Saturdays unless they are Sundays (BDEW rule).</summary>
    public static LoadDayType DayTypeOf(DateTime localDate)
    {
        if (localDate.DayOfWeek == DayOfWeek.Sunday) return LoadDayType.Sunday;
        if (localDate.DayOfWeek == DayOfWeek.Saturday) return LoadDayType.Saturday;
        if (localDate.Month == 12 && localDate.Day is 24 or 31) return LoadDayType.Saturday;
        return LoadDayType.Workday;
    }

    /// <summary>
    /// BDEW dynamisation factor F(t) = a·t⁴ + b·t³ + c·t² + d·t + e for day of year t, which smooths the seasons
    /// (about 1.24 in January, 0.8 in summer). a is −3.916649251e−10 rather than the published −3.92e−10, the
    /// adjustment demandlib uses so that a dynamised year sums to the annual consumption.
    /// </summary>
    public static double Dynamisation(int dayOfYear)
    {
        double t = dayOfYear;
        return (((-3.916649251e-10 * t + 3.2e-7) * t - 7.02e-5) * t + 2.1e-3) * t + 1.24;
    }

    private static int[,] Load()
    {
        using Stream stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("CommunityGrid.Simulation.bdew-h0.csv")
            ?? throw new InvalidOperationException("the embedded BDEW H0 table is missing from the assembly");
        using var reader = new StreamReader(stream);
        var table = new int[QuartersPerDay, 9];
        int row = 0;
        bool header = true;
        while (reader.ReadLine() is { } line)
        {
            if (line.StartsWith('#')) continue;
            if (header) { header = false; continue; }
            string[] cells = line.Split(',');
            if (cells.Length != 10 || int.Parse(cells[0], CultureInfo.InvariantCulture) != row)
            {
                throw new InvalidDataException($"bdew-h0.csv: row {row} must be 'quarter' plus 9 values");
            }
            for (int c = 0; c < 9; c++) table[row, c] = int.Parse(cells[c + 1], CultureInfo.InvariantCulture);
            row++;
        }
        if (row != QuartersPerDay) throw new InvalidDataException($"bdew-h0.csv: expected {QuartersPerDay} rows, got {row}");
        return table;
    }
}
