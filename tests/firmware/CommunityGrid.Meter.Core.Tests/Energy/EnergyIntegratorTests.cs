using System;
using CommunityGrid.Meter.Energy;

namespace CommunityGrid.Meter.Tests.Energy;

public class EnergyIntegratorTests
{
    private const long PerWh = EnergyRegister.MilliwattMillisecondsPerWattHour;

    private static long TotalMilliwattMs(EnergyRegister r) => r.WattHours * PerWh + r.RemainderMilliwattMilliseconds;

    [Fact]
    public void Constant_power_for_an_hour_is_exact()
    {
        var integrator = new EnergyIntegrator(10_000, 0, 0);
        for (long t = 0; t <= 3_600_000; t += 1_000)
        {
            integrator.AddSample(t, 1_000_000); // 1 kW
        }
        Assert.Equal(1000, integrator.Positive.WattHours);
        Assert.Equal(0, integrator.Positive.RemainderMilliwattMilliseconds);
        Assert.Equal(0, integrator.Negative.WattHours);
    }

    [Fact]
    public void Sub_watt_hour_energy_is_carried_not_lost()
    {
        // 1 W sampled every 100 ms: each step is 0.0000278 Wh, far below one Wh.
        var integrator = new EnergyIntegrator(1_000, 0, 0);
        for (long t = 0; t <= 7_200_000; t += 100)
        {
            integrator.AddSample(t, 1_000);
        }
        Assert.Equal(2, integrator.Positive.WattHours);
        Assert.Equal(0, integrator.Positive.RemainderMilliwattMilliseconds);
    }

    [Fact]
    public void Steps_between_import_and_export_go_to_separate_registers()
    {
        var integrator = new EnergyIntegrator(60_000, 0, 0);
        long t = 0;
        for (; t < 1_800_000; t += 1_000) integrator.AddSample(t, 2_000_000); // 2 kW import, 30 min
        for (; t < 3_600_000; t += 1_000) integrator.AddSample(t, -1_000_000); // 1 kW export, 30 min
        integrator.AddSample(t, 0);

        Assert.Equal(1000, integrator.Positive.WattHours);
        Assert.Equal(500, integrator.Negative.WattHours);
    }

    [Fact]
    public void Uneven_sampling_matches_the_exact_sample_and_hold_sum()
    {
        var random = new Random(12345);
        var integrator = new EnergyIntegrator(5_000, 7, 3);
        long t = 1_000_000, expectedPositive = 0, expectedNegative = 0, previousPower = 0;
        bool first = true;
        for (int i = 0; i < 20_000; i++)
        {
            long power = random.Next(-5_000_000, 8_000_000);
            if (!first)
            {
                long dt = random.Next(1, 4_999);
                t += dt;
                if (previousPower > 0) expectedPositive += previousPower * dt;
                if (previousPower < 0) expectedNegative += -previousPower * dt;
            }
            Assert.Equal(first ? IntegrationEvents.Started : IntegrationEvents.None, integrator.AddSample(t, power));
            first = false;
            previousPower = power;
        }
        Assert.Equal(7 * PerWh + expectedPositive, TotalMilliwattMs(integrator.Positive));
        Assert.Equal(3 * PerWh + expectedNegative, TotalMilliwattMs(integrator.Negative));
    }

    [Fact]
    public void A_gap_longer_than_the_maximum_counts_only_the_maximum_and_is_flagged()
    {
        var integrator = new EnergyIntegrator(10_000, 0, 0);
        integrator.AddSample(0, 3_600_000); // 3.6 kW: 1 Wh per second
        IntegrationEvents events = integrator.AddSample(60_000, 3_600_000);

        Assert.Equal(IntegrationEvents.GapTruncated, events);
        Assert.Equal(10, integrator.Positive.WattHours);
        Assert.Equal(50_000, integrator.UncountedMilliseconds);
        Assert.Equal(1, integrator.GapCount);

        integrator.AddSample(61_000, 0);
        Assert.Equal(11, integrator.Positive.WattHours);
    }

    [Fact]
    public void A_gap_exactly_at_the_maximum_is_counted_in_full()
    {
        var integrator = new EnergyIntegrator(10_000, 0, 0);
        integrator.AddSample(0, 3_600_000);
        Assert.Equal(IntegrationEvents.None, integrator.AddSample(10_000, 0));
        Assert.Equal(10, integrator.Positive.WattHours);
    }

    [Fact]
    public void Time_going_backwards_counts_nothing_is_flagged_and_restarts_from_there()
    {
        var integrator = new EnergyIntegrator(10_000, 0, 0);
        integrator.AddSample(100_000, 3_600_000);
        integrator.AddSample(101_000, 3_600_000);
        Assert.Equal(1, integrator.Positive.WattHours);

        IntegrationEvents events = integrator.AddSample(50_000, 7_200_000);
        Assert.True((events & IntegrationEvents.TimeWentBackwards) != 0);
        Assert.Equal(1, integrator.Positive.WattHours);
        Assert.Equal(1, integrator.BackwardsCount);

        integrator.AddSample(51_000, 0); // 7.2 kW held from 50 s to 51 s: 2 Wh
        Assert.Equal(3, integrator.Positive.WattHours);
    }

    [Fact]
    public void Same_timestamp_counts_nothing()
    {
        var integrator = new EnergyIntegrator(10_000, 0, 0);
        integrator.AddSample(0, 3_600_000);
        Assert.Equal(IntegrationEvents.None, integrator.AddSample(0, 1_000));
        integrator.AddSample(1_000, 0);
        Assert.Equal(0, integrator.Positive.WattHours);
        Assert.Equal(1_000_000, integrator.Positive.RemainderMilliwattMilliseconds);
    }

    [Fact]
    public void A_failed_sample_stops_counting_until_the_next_good_one()
    {
        var integrator = new EnergyIntegrator(10_000, 0, 0);
        integrator.AddSample(0, 3_600_000);
        integrator.MarkUnavailable(2_000); // 2 s of 3.6 kW still counted: 2 Wh
        IntegrationEvents events = integrator.AddSample(9_000, 3_600_000);

        Assert.Equal(IntegrationEvents.ResumedAfterOutage, events);
        Assert.Equal(2, integrator.Positive.WattHours);
        Assert.Equal(7_000, integrator.UncountedMilliseconds);

        integrator.AddSample(10_000, 0);
        Assert.Equal(3, integrator.Positive.WattHours);
    }

    [Fact]
    public void Registers_start_from_restored_values_and_never_go_backwards()
    {
        var integrator = new EnergyIntegrator(10_000, 1_234, 567);
        integrator.AddSample(0, -3_600_000);
        integrator.AddSample(1_000, 3_600_000);
        integrator.AddSample(2_000, 0);
        Assert.Equal(1_235, integrator.Positive.WattHours);
        Assert.Equal(568, integrator.Negative.WattHours);
        Assert.Throws<ArgumentOutOfRangeException>(() => integrator.Positive.Add(-1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new EnergyRegister(-1));
    }

    [Fact]
    public void Absurd_power_or_configuration_is_rejected()
    {
        var integrator = new EnergyIntegrator(EnergyIntegrator.MaxGapLimitMilliseconds, 0, 0);
        Assert.Throws<ArgumentOutOfRangeException>(() => integrator.AddSample(0, EnergyIntegrator.MaxPowerMilliwatts + 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new EnergyIntegrator(0, 0, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new EnergyIntegrator(EnergyIntegrator.MaxGapLimitMilliseconds + 1, 0, 0));

        // The largest allowed step cannot overflow.
        integrator.AddSample(0, -EnergyIntegrator.MaxPowerMilliwatts);
        integrator.AddSample(EnergyIntegrator.MaxGapLimitMilliseconds, 0);
        Assert.Equal(2_400_000_000, integrator.Negative.WattHours); // 100 MW × 24 h
    }

    [Fact]
    public void Meter_energy_keeps_import_export_and_pv_apart()
    {
        var meter = new MeterEnergy(10_000, 100, 200, 300);
        meter.Grid.AddSample(0, -3_600_000);
        meter.Pv.AddSample(0, 7_200_000);
        meter.Grid.AddSample(1_000, 0);
        meter.Pv.AddSample(1_000, -5_000); // inverter standby at night: not subtracted from production
        meter.Pv.AddSample(3_601_000, 0);

        Assert.Equal(100, meter.ImportWh);
        Assert.Equal(201, meter.ExportWh);
        Assert.Equal(302, meter.PvProductionWh);
    }
}
