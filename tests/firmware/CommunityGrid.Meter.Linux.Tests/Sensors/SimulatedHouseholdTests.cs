using System;
using CommunityGrid.Meter.Linux.Sensors;

namespace CommunityGrid.Meter.Linux.Tests.Sensors;

public sealed class SimulatedHouseholdTests
{
    private static long At(int hour) => new DateTimeOffset(2026, 6, 21, hour, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds();

    [Fact]
    public void Power_depends_only_on_meter_id_and_time()
    {
        var one = new SimulatedHousehold("meter-0001");
        var again = new SimulatedHousehold("meter-0001");
        var other = new SimulatedHousehold("meter-0002");
        for (int hour = 0; hour < 24; hour++)
        {
            Assert.Equal(one.PvPowerW(At(hour)), again.PvPowerW(At(hour)));
            Assert.Equal(one.LoadPowerW(At(hour)), again.LoadPowerW(At(hour)));
        }
        Assert.NotEqual(one.PvPowerW(At(13)), other.PvPowerW(At(13)));
    }

    [Fact]
    public void No_pv_at_night_a_daylight_peak_and_an_evening_consumption_peak()
    {
        var house = new SimulatedHousehold("meter-0001");
        Assert.Equal(0, house.PvPowerW(At(2)));
        Assert.Equal(0, house.PvPowerW(At(22)));
        Assert.True(house.PvPowerW(At(13)) > house.PvPowerW(At(8)));
        double eveningPeak = 0;
        for (long t = At(17); t <= At(21); t += 900_000) eveningPeak = Math.Max(eveningPeak, house.LoadPowerW(t));
        Assert.True(eveningPeak > 2 * house.LoadPowerW(At(3)));
        Assert.True(house.LoadPowerW(At(3)) > 0);
    }

    [Fact]
    public void Integrated_through_the_core_the_registers_only_grow()
    {
        var source = new IntegratingSource(new SimulatedHousehold("meter-0001"), 100, 200, 300, maxGapMs: 60_000, canReplay: true);
        long import = 100, export = 200, pv = 300;
        for (long t = At(0); t <= At(0) + 86_400_000; t += 60_000)
        {
            source.SampleAt(t);
            Assert.True(source.ImportWh >= import && source.ExportWh >= export && source.PvWh >= pv);
            (import, export, pv) = (source.ImportWh, source.ExportWh, source.PvWh);
        }
        Assert.True(pv - 300 > 10_000, "a June day should produce over 10 kWh");
        Assert.True(export > 200 && import > 100);
    }
}
