using System;
using CommunityGrid.Meter.Sensors;

namespace CommunityGrid.Meter.Tests.Sensors;

public class Ina219Tests
{
    // Datasheet example (SBOS448 §8.5.1): 0.1 Ω shunt, 100 µA current LSB → Cal 4096, power LSB 2 mW.
    private const long Shunt = 100_000;
    private const long Lsb = 100;

    private static (Ina219Model chip, Ina219 driver) Ready(long shuntMicroohms = Shunt, long lsb = Lsb, int config = Ina219.ResetConfiguration)
    {
        var chip = new Ina219Model();
        var driver = new Ina219(chip, shuntMicroohms, lsb, config);
        Assert.Equal(SensorStatus.Ok, driver.Initialize(out string detail));
        Assert.Equal("", detail);
        return (chip, driver);
    }

    [Fact]
    public void Calibration_matches_the_datasheet_example()
    {
        var (chip, driver) = Ready();
        Assert.Equal(4096, driver.Calibration);
        Assert.Equal(4096, chip.RegisterValue(Ina219.RegisterCalibration));
        Assert.Equal(Ina219.ResetConfiguration, chip.RegisterValue(Ina219.RegisterConfiguration));
    }

    [Fact]
    public void Reads_current_power_and_bus_voltage_in_integer_units()
    {
        var (chip, driver) = Ready();
        chip.ShuntMicrovolts = 150_000; // 1.5 A through 0.1 Ω
        chip.BusMillivolts = 12_000;
        chip.Convert();

        PowerSensorReading r = driver.Read();

        Assert.Equal(SensorStatus.Ok, r.Status);
        Assert.Equal(1500, r.CurrentMilliamps);
        Assert.Equal(12_000, r.BusMillivolts);
        Assert.Equal(150_000_000, r.ShuntNanovolts);
        Assert.Equal(18_000, r.PowerMilliwatts); // power register 9000 × 2 mW
    }

    [Fact]
    public void Reverse_current_gives_negative_power()
    {
        var (chip, driver) = Ready();
        chip.ShuntMicrovolts = -50_000;
        chip.BusMillivolts = 12_000;
        chip.Convert();

        PowerSensorReading r = driver.Read();

        Assert.Equal(-500, r.CurrentMilliamps);
        Assert.Equal(-6_000, r.PowerMilliwatts);
    }

    [Fact]
    public void No_value_before_the_first_conversion()
    {
        var (_, driver) = Ready();
        PowerSensorReading r = driver.Read();
        Assert.Equal(SensorStatus.NotReady, r.Status);
        Assert.Throws<InvalidOperationException>(() => r.PowerMilliwatts);
    }

    [Fact]
    public void Math_overflow_flag_is_an_error_not_a_value()
    {
        // 10 µA LSB on 0.1 Ω: Cal 40960, so 200 mV gives a current register of 200000 (> 32767).
        var (chip, driver) = Ready(lsb: 10);
        chip.ShuntMicrovolts = 200_000;
        chip.BusMillivolts = 12_000;
        chip.Convert();

        PowerSensorReading r = driver.Read();

        Assert.Equal(SensorStatus.Overflow, r.Status);
        Assert.Contains("OVF", r.Detail);
        Assert.Throws<InvalidOperationException>(() => r.CurrentMilliamps);
    }

    [Fact]
    public void Shunt_voltage_at_the_pga_limit_is_an_overflow()
    {
        int config = Ina219.MakeConfiguration(true, 0, 3, 3, 7); // PGA /1: ±40 mV
        var (chip, driver) = Ready(config: config);
        chip.ShuntMicrovolts = 100_000;
        chip.BusMillivolts = 5_000;
        chip.Convert();

        PowerSensorReading r = driver.Read();

        Assert.Equal(SensorStatus.Overflow, r.Status);
        Assert.Contains("full scale", r.Detail);
    }

    [Fact]
    public void Missing_chip_is_a_bus_error()
    {
        var chip = new Ina219Model { Present = false };
        var driver = new Ina219(chip, Shunt, Lsb, Ina219.ResetConfiguration);
        Assert.Equal(SensorStatus.BusError, driver.Initialize(out string detail));
        Assert.Contains("no ACK", detail);
        Assert.Equal(SensorStatus.NotInitialized, driver.Read().Status);
    }

    [Fact]
    public void Failed_transfer_during_a_read_is_a_bus_error_and_the_next_read_recovers()
    {
        var (chip, driver) = Ready();
        chip.ShuntMicrovolts = 10_000;
        chip.BusMillivolts = 5_000;
        chip.Convert();
        chip.FailNextTransfers = 1;

        Assert.Equal(SensorStatus.BusError, driver.Read().Status);
        Assert.Equal(100, driver.Read().CurrentMilliamps);
    }

    [Fact]
    public void A_chip_reset_is_detected_by_the_lost_calibration()
    {
        var (chip, driver) = Ready();
        chip.ShuntMicrovolts = 10_000;
        chip.BusMillivolts = 5_000;
        chip.Convert();
        chip.PowerOnReset(); // brown-out: Cal back to 0, current and power would read 0
        chip.Convert();

        PowerSensorReading r = driver.Read();
        Assert.Equal(SensorStatus.CalibrationLost, r.Status);
        Assert.Equal(SensorStatus.NotInitialized, driver.Read().Status);

        Assert.Equal(SensorStatus.Ok, driver.Initialize(out _));
        chip.Convert();
        Assert.Equal(100, driver.Read().CurrentMilliamps);
    }

    [Fact]
    public void An_ina226_at_the_address_is_refused()
    {
        var driver = new Ina219(new Ina226Model(), Shunt, Lsb, Ina219.ResetConfiguration);
        Assert.Equal(SensorStatus.WrongDevice, driver.Initialize(out string detail));
        Assert.Contains("0x4127", detail);
    }

    [Fact]
    public void Calibration_bit_zero_is_dropped_and_the_effective_lsb_is_used()
    {
        // 15 mΩ, 61 µA: trunc(0.04096 / (61e-6 × 0.015)) = 44765, the chip keeps 44764.
        var (chip, driver) = Ready(shuntMicroohms: 15_000, lsb: 61);
        Assert.Equal(44764, driver.Calibration);
        chip.ShuntMicrovolts = 25_000; // 1666.67 mA
        chip.BusMillivolts = 12_000;
        chip.Convert();

        PowerSensorReading r = driver.Read();

        Assert.Equal(1667, r.CurrentMilliamps);
        Assert.InRange(r.PowerMilliwatts, 20_000 - 5, 20_000 + 5); // 1.6667 A × 12 V, within the power LSB (1.22 mW) and ADC steps
    }

    [Theory]
    [InlineData(100, 100_000, 4096)]
    [InlineData(1000, 2_000, 20480)]
    [InlineData(50, 10_000, 81920)] // beyond 0xFFFF: rejected
    public void Calibration_formula(long lsb, long shunt, int expected)
    {
        if (expected > 0xFFFF)
        {
            Assert.Throws<ArgumentOutOfRangeException>(() => InaCalibration.Compute(InaCalibration.Ina219Numerator, lsb, shunt, 0xFFFF));
            return;
        }
        Assert.Equal(expected, InaCalibration.Compute(InaCalibration.Ina219Numerator, lsb, shunt, 0xFFFF));
    }
}
