using System;
using System.Linq;
using CommunityGrid.Simulation.Profiles;

namespace CommunityGrid.Simulation.Tests.Profiles;

public class ProfileTests
{
    private static readonly DateTime June1 = new(2026, 6, 1, 0, 0, 0, DateTimeKind.Utc);
    private static readonly HouseTraits PvHouse = new("h001", 6.0, 0.8, 1.0, 3500);

    private static HouseSeries Day(HouseTraits house, long seed = 42, int days = 1) =>
        ProfileGenerator.Generate(house, Site.Default, new Weather(seed, days), seed, June1, days);

    [Fact]
    public void PvIsZeroAtNight()
    {
        HouseSeries series = Day(PvHouse);
        // At 52° N, 5° E on 1 June the sun sets about 19:55 UTC and rises about 03:25 UTC.
        for (int q = 0; q < 96; q++)
        {
            double hour = q / 4.0;
            if (hour >= 20.5 || hour < 3.0) Assert.True(series.PvWh[q] == 0, $"PV {series.PvWh[q]} Wh at {hour:0.00} UTC");
        }
        Assert.True(series.PvWh.Sum() > 10_000, "a 6 kWp array makes more than 10 kWh on a June day");
    }

    [Fact]
    public void ClearSkyIrradiancePeaksAtSolarNoon()
    {
        // Solar noon at 5° E on 1 June: 12:00 − 20 min (longitude) − 2.4 min (equation of time) ≈ 11:38 UTC.
        double bestHour = 0, best = 0;
        for (int minute = 0; minute < 1440; minute++)
        {
            double ghi = ClearSky.HaurwitzGhi(SolarGeometry.CosZenith(Site.Default, June1.DayOfYear, minute / 60.0));
            if (ghi > best) (best, bestHour) = (ghi, minute / 60.0);
        }
        Assert.InRange(bestHour, 11.5, 11.8);
        Assert.InRange(best, 800, 950);
    }

    [Fact]
    public void PvProfilePeaksNearSolarNoonOnAClearDay()
    {
        var clearHouse = PvHouse;
        long seed = Enumerable.Range(1, 200).Select(s => (long)s).First(s => new Weather(s, 1).Condition(0) == SkyCondition.Clear);
        HouseSeries series = Day(clearHouse, seed);
        int peak = Array.IndexOf(series.PvWh, series.PvWh.Max());
        Assert.InRange(peak / 4.0, 10.0, 13.25);
    }

    [Fact]
    public void AnnualLoadMatchesTheHousesConsumptionWithinTwoPercent()
    {
        var house = new HouseTraits("h007", 0, 0.8, 1.0, 4200);
        var start = new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        HouseSeries year = ProfileGenerator.Generate(house, Site.Default, new Weather(7, 365), 7, start, 365);
        double kWh = year.LoadWh.Sum() / 1000.0;
        Assert.InRange(kWh, 4200 * 0.98, 4200 * 1.02);
    }

    [Fact]
    public void StaticH0TableDescribesAbout1000KilowattHoursAYear()
    {
        double kWh = 0;
        var day = new DateTime(2026, 1, 1);
        for (int d = 0; d < 365; d++, day = day.AddDays(1))
        {
            for (int q = 0; q < 96; q++) kWh += LoadShape.StaticWatts(LoadShape.SeasonOf(day), LoadShape.DayTypeOf(day), q) * 0.25 / 1000;
        }
        Assert.InRange(kWh, 990, 1010);
    }

    [Fact]
    public void LoadEqualsPvPlusImportMinusExportUpToRegisterRounding()
    {
        HouseSeries s = Day(PvHouse);
        for (int i = 0; i < s.Intervals; i++) Assert.InRange(s.LoadWh[i] - (s.PvWh[i] + s.ImportWh[i] - s.ExportWh[i]), -2, 2);
        Assert.Contains(s.ExportWh, e => e > 0);
        Assert.Contains(s.ImportWh, e => e > 0);
    }

    [Fact]
    public void SameSeedSameProfilesOtherSeedOtherProfiles()
    {
        HouseSeries a = Day(PvHouse, 42, 3), b = Day(PvHouse, 42, 3), c = Day(PvHouse, 43, 3);
        Assert.Equal(a.PvWh, b.PvWh);
        Assert.Equal(a.LoadWh, b.LoadWh);
        Assert.Equal(a.ImportWh, b.ImportWh);
        Assert.NotEqual(a.LoadWh, c.LoadWh);
    }

    [Fact]
    public void ProfilesAreFixedIntegersForAGivenSeed()
    {
        // Pinned values: a change in generation (or a platform whose arithmetic differs) shows up here.
        HouseSeries s = Day(PvHouse);
        Assert.Equal(ProfileFingerprint.Expected, ProfileFingerprint.Of(s));
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(1.0)]
    [InlineData(-2.5)]
    [InlineData(3.3)]
    [InlineData(100.7)]
    [InlineData(-700.1)]
    public void PortableMathAgreesWithTheRuntimeLibrary(double x)
    {
        Assert.Equal(Math.Sin(x), PortableMath.Sin(x), 12);
        Assert.Equal(Math.Cos(x), PortableMath.Cos(x), 12);
        if (Math.Abs(x) < 50) Assert.Equal(1, PortableMath.Exp(x) / Math.Exp(x), 12);
    }

    [Fact]
    public void HouseTraitsStayInTheirDocumentedRanges()
    {
        for (int i = 1; i <= 300; i++)
        {
            HouseTraits t = HouseTraits.Draw(5, $"h{i:D3}", hasPv: true);
            Assert.InRange(t.PeakKilowatts, 3.0, 10.0);
            Assert.InRange(t.AnnualKilowattHours, 1500, 8000);
            Assert.InRange(t.PerformanceRatio, 0.75, 0.85);
        }
    }
}
