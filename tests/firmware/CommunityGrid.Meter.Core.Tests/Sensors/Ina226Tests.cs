using System;
using CommunityGrid.Meter.Sensors;

namespace CommunityGrid.Meter.Tests.Sensors;

public class Ina226Tests
{
    // Datasheet example (SBOS547): 2 mΩ shunt, 1 mA current LSB → Cal 2560, power LSB 25 mW.
    private const long Shunt = 2_000;
    private const long Lsb = 1_000;

    private static (Ina226Model chip, Ina226 driver) Ready(long shunt = Shunt, long lsb = Lsb)
    {
        var chip = new Ina226Model();
        var driver = new Ina226(chip, shunt, lsb, Ina226.ResetConfiguration);
        Assert.Equal(SensorStatus.Ok, driver.Initialize(out _));
        return (chip, driver);
    }

    [Fact]
    public void Calibration_matches_the_datasheet_example()
    {
        var (chip, driver) = Ready();
        Assert.Equal(2560, driver.Calibration);
        Assert.Equal(2560, chip.RegisterValue(Ina226.RegisterCalibration));
    }

    [Fact]
    public void Reads_current_power_and_bus_voltage_in_integer_units()
    {
        var (chip, driver) = Ready();
        chip.ShuntMicrovolts = 20_000; // 10 A through 2 mΩ
        chip.BusMillivolts = 24_000; // the INA226 bus input goes to 36 V
        chip.Convert();

        PowerSensorReading r = driver.Read();

        Assert.Equal(SensorStatus.Ok, r.Status);
        Assert.Equal(10_000, r.CurrentMilliamps);
        Assert.Equal(24_000, r.BusMillivolts);
        Assert.Equal(20_000_000, r.ShuntNanovolts);
        Assert.Equal(240_000, r.PowerMilliwatts); // power register 9600 × 25 mW
    }

    [Fact]
    public void Export_direction_is_negative()
    {
        var (chip, driver) = Ready();
        chip.ShuntMicrovolts = -5_000;
        chip.BusMillivolts = 230_00;
        chip.Convert();

        PowerSensorReading r = driver.Read();

        Assert.Equal(-2_500, r.CurrentMilliamps);
        Assert.Equal(-57_500, r.PowerMilliwatts);
    }

    [Fact]
    public void Bus_voltage_lsb_of_1_25_mV_is_rounded()
    {
        var (chip, driver) = Ready();
        chip.BusMillivolts = 12_001; // register 9601 = 12001.25 mV
        chip.Convert();
        Assert.Equal(9601, chip.RegisterValue(Ina226.RegisterBusVoltage));
        Assert.Equal(12_001, driver.Read().BusMillivolts);
    }

    [Fact]
    public void Math_overflow_in_mask_enable_is_an_error()
    {
        // 200 µA LSB on 2 mΩ: Cal 12800; 40 mV (shunt register 16000) → current register 100000 > 32767.
        var (chip, driver) = Ready(lsb: 200);
        chip.ShuntMicrovolts = 40_000;
        chip.BusMillivolts = 12_000;
        chip.Convert();

        PowerSensorReading r = driver.Read();

        Assert.Equal(SensorStatus.Overflow, r.Status);
        Assert.Throws<InvalidOperationException>(() => r.PowerMilliwatts);
    }

    [Fact]
    public void Shunt_at_full_scale_is_an_overflow()
    {
        var (chip, driver) = Ready(lsb: 10_000); // 10 mA LSB: no math overflow at 81.92 mV
        chip.ShuntMicrovolts = 90_000;
        chip.BusMillivolts = 12_000;
        chip.Convert();
        Assert.Equal(SensorStatus.Overflow, driver.Read().Status);
    }

    [Fact]
    public void Reading_waits_for_the_first_conversion_flag()
    {
        var (chip, driver) = Ready();
        Assert.Equal(SensorStatus.NotReady, driver.Read().Status);
        chip.ShuntMicrovolts = 2_000;
        chip.BusMillivolts = 5_000;
        chip.Convert();
        Assert.Equal(1_000, driver.Read().CurrentMilliamps);
        // CVRF was cleared by that read; the registers stay valid in continuous mode.
        Assert.Equal(1_000, driver.Read().CurrentMilliamps);
    }

    [Fact]
    public void An_ina219_at_the_address_is_refused_by_its_ids()
    {
        var driver = new Ina226(new Ina219Model(), Shunt, Lsb, Ina226.ResetConfiguration);
        Assert.Equal(SensorStatus.WrongDevice, driver.Initialize(out string detail));
        Assert.Contains("0x5449", detail);
    }

    [Fact]
    public void Brown_out_is_detected()
    {
        var (chip, driver) = Ready();
        chip.ShuntMicrovolts = 2_000;
        chip.Convert();
        chip.PowerOnReset();
        chip.Convert();
        Assert.Equal(SensorStatus.CalibrationLost, driver.Read().Status);
    }

    [Fact]
    public void Missing_chip_is_a_bus_error()
    {
        var driver = new Ina226(new Ina226Model { Present = false }, Shunt, Lsb, Ina226.ResetConfiguration);
        Assert.Equal(SensorStatus.BusError, driver.Initialize(out _));
    }

    [Fact]
    public void Calibration_above_the_reserved_bit_is_refused()
    {
        // 50 µA on 2 mΩ would need Cal 51200.
        Assert.Throws<ArgumentOutOfRangeException>(() => new Ina226(new Ina226Model(), Shunt, 50, Ina226.ResetConfiguration));
    }

    [Fact]
    public void Configuration_fields_are_packed_per_datasheet()
    {
        Assert.Equal(Ina226.ResetConfiguration, Ina226.MakeConfiguration(0, 4, 4, 7));
        Assert.Equal(Ina219.ResetConfiguration, Ina219.MakeConfiguration(true, 3, 3, 3, 7));
    }
}
