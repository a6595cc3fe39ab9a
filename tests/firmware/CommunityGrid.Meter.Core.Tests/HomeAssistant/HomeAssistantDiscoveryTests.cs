using System;
using System.IO;
using System.Text;
using System.Text.Json;
using CommunityGrid.Meter.HomeAssistant;

namespace CommunityGrid.Meter.Core.Tests.HomeAssistant;

/// <summary>The discovery configs and states both meters publish, byte for byte.</summary>
public sealed class HomeAssistantDiscoveryTests
{
    private static readonly HomeAssistantDiscovery Esp32 = new("meter-0005", "homeassistant", "cgrid-meter (ESP32)", "esp32-1.0.0");

    [Fact]
    public void An_energy_sensor_config_is_exactly_these_bytes()
    {
        string expected =
            J("{'name':'PV energy','unique_id':'communitygrid_meter-0005_pv_energy','object_id':'communitygrid_meter-0005_pv_energy',") +
            J("'state_topic':'communitygrid/meter-0005/pv_energy','unit_of_measurement':'kWh','device_class':'energy','state_class':'total_increasing',") +
            J("'suggested_display_precision':3,'availability_topic':'communitygrid/meter-0005/availability','payload_available':'online',") +
            J("'payload_not_available':'offline','device':{'identifiers':['communitygrid_meter-0005'],'name':'CommunityGrid meter meter-0005',") +
            J("'manufacturer':'CommunityGrid','model':'cgrid-meter (ESP32)','sw_version':'esp32-1.0.0'}}");
        Assert.Equal(Encoding.UTF8.GetBytes(expected), Esp32.Config(HomeAssistantDiscovery.PvEnergy));
        Assert.Equal("homeassistant/sensor/communitygrid_meter-0005/pv_energy/config", Esp32.ConfigTopic(HomeAssistantDiscovery.PvEnergy));
    }

    [Fact]
    public void Power_price_and_balance_configs_are_exactly_these_bytes()
    {
        string device = J("'availability_topic':'communitygrid/meter-0005/availability','payload_available':'online','payload_not_available':'offline',") +
            J("'device':{'identifiers':['communitygrid_meter-0005'],'name':'CommunityGrid meter meter-0005','manufacturer':'CommunityGrid','model':'cgrid-meter (ESP32)','sw_version':'esp32-1.0.0'}}");
        Assert.Equal(
            J("{'name':'Import power','unique_id':'communitygrid_meter-0005_import_power','object_id':'communitygrid_meter-0005_import_power',") +
            J("'state_topic':'communitygrid/meter-0005/import_power','unit_of_measurement':'W','device_class':'power','state_class':'measurement','suggested_display_precision':0,") + device,
            Encoding.UTF8.GetString(Esp32.Config(HomeAssistantDiscovery.ImportPower)));
        // Home Assistant has no device class for a price per kWh, and allows a monetary sensor no state class but total.
        Assert.Equal(
            J("{'name':'Community price','unique_id':'communitygrid_meter-0005_price','object_id':'communitygrid_meter-0005_price',") +
            J("'state_topic':'communitygrid/meter-0005/price','unit_of_measurement':'EUR/kWh','state_class':'measurement','suggested_display_precision':4,") + device,
            Encoding.UTF8.GetString(Esp32.Config(HomeAssistantDiscovery.Price("EUR"))));
        Assert.Equal(
            J("{'name':'Balance','unique_id':'communitygrid_meter-0005_balance','object_id':'communitygrid_meter-0005_balance',") +
            J("'state_topic':'communitygrid/meter-0005/balance','unit_of_measurement':'EUR','device_class':'monetary','suggested_display_precision':2,") + device,
            Encoding.UTF8.GetString(Esp32.Config(HomeAssistantDiscovery.Balance("EUR"))));
    }

    /// <summary>The Linux meter built these with Utf8JsonWriter before the builder moved into the core: same bytes for every sensor.</summary>
    [Fact]
    public void Every_config_is_what_System_Text_Json_writes_for_the_same_fields()
    {
        var linux = new HomeAssistantDiscovery("m.1", "ha/discovery", "cgrid-meter (Linux)", "1.2.3");
        HomeAssistantSensor[] all = [.. HomeAssistantDiscovery.MeterSensors, HomeAssistantDiscovery.Price("CHF"), HomeAssistantDiscovery.Balance("CHF")];
        foreach (HomeAssistantSensor sensor in all)
        {
            Assert.Equal(Reference(linux, sensor), linux.Config(sensor));
        }
        Assert.Equal("ha/discovery/sensor/communitygrid_m_1/balance/config", linux.ConfigTopic(HomeAssistantDiscovery.Balance("CHF")));
    }

    [Fact]
    public void A_meter_id_with_quotes_or_control_characters_still_gives_valid_json_and_safe_ids()
    {
        var odd = new HomeAssistantDiscovery("a\"b\\c\td é", "homeassistant", "m", "v");
        using JsonDocument doc = JsonDocument.Parse(odd.Config(HomeAssistantDiscovery.PvPower));
        Assert.Equal("CommunityGrid meter a\"b\\c\td é", doc.RootElement.GetProperty("device").GetProperty("name").GetString());
        Assert.Equal("communitygrid_a_b_c_d__", odd.NodeId);
        Assert.Equal("communitygrid/a_b_c_d__/availability", odd.AvailabilityTopic);
    }

    [Theory]
    [InlineData(12_345, "12.345")]
    [InlineData(7, "0.007")]
    [InlineData(0, "0.000")]
    [InlineData(1_000_000_000, "1000000.000")]
    public void Energies_are_kwh_with_three_decimals(long wh, string kwh) => Assert.Equal(kwh, HomeAssistantDiscovery.Kwh(wh));

    [Theory]
    [InlineData(-1234, 2, "-12.34")]
    [InlineData(5, 2, "0.05")]
    [InlineData(-5, 2, "-0.05")]
    [InlineData(7, 0, "7")]
    [InlineData(-7, 0, "-7")]
    [InlineData(2150, 2, "21.50")]
    [InlineData(long.MinValue, 4, "-922337203685477.5808")]
    [InlineData(long.MaxValue, 0, "9223372036854775807")]
    public void Money_is_an_exact_decimal(long amount, int digits, string text) => Assert.Equal(text, HomeAssistantDiscovery.Decimal(amount, digits));

    [Fact]
    public void States_are_the_registers_and_the_average_power_since_the_previous_reading()
    {
        HomeAssistantState[] first = Esp32.States(new MeterSample(900, 1_500, 2, 3), null);
        Assert.Equal(
            ["communitygrid/meter-0005/import_energy=1.500", "communitygrid/meter-0005/export_energy=0.002", "communitygrid/meter-0005/pv_energy=0.003"],
            Array.ConvertAll(first, s => s.Topic + "=" + s.Value));
        HomeAssistantState[] next = Esp32.States(new MeterSample(1800, 2_000, 2, 753), new MeterSample(900, 1_500, 2, 3));
        Assert.Equal(
            ["communitygrid/meter-0005/import_energy=2.000", "communitygrid/meter-0005/export_energy=0.002", "communitygrid/meter-0005/pv_energy=0.753",
             "communitygrid/meter-0005/import_power=2000", "communitygrid/meter-0005/export_power=0", "communitygrid/meter-0005/pv_power=3000"],
            Array.ConvertAll(next, s => s.Topic + "=" + s.Value));
        // A clock that went back gives no power rather than a negative or divided-by-zero one.
        Assert.Equal(3, Esp32.States(new MeterSample(900, 1, 1, 1), new MeterSample(900, 0, 0, 0)).Length);
    }

    /// <summary>JSON written with ' for " to keep the expected bytes readable.</summary>
    private static string J(string text) => text.Replace('\'', '"');

    private static byte[] Reference(HomeAssistantDiscovery d, HomeAssistantSensor sensor)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString("name", sensor.Name);
            w.WriteString("unique_id", d.NodeId + "_" + sensor.ObjectId);
            w.WriteString("object_id", d.NodeId + "_" + sensor.ObjectId);
            w.WriteString("state_topic", d.StateTopic(sensor));
            if (sensor.Unit is not null) w.WriteString("unit_of_measurement", sensor.Unit);
            if (sensor.DeviceClass is not null) w.WriteString("device_class", sensor.DeviceClass);
            if (sensor.StateClass is not null) w.WriteString("state_class", sensor.StateClass);
            if (sensor.Precision != HomeAssistantSensor.NoPrecision) w.WriteNumber("suggested_display_precision", sensor.Precision);
            w.WriteString("availability_topic", d.AvailabilityTopic);
            w.WriteString("payload_available", "online");
            w.WriteString("payload_not_available", "offline");
            w.WriteStartObject("device");
            w.WriteStartArray("identifiers");
            w.WriteStringValue(d.NodeId);
            w.WriteEndArray();
            w.WriteString("name", "CommunityGrid meter m.1");
            w.WriteString("manufacturer", "CommunityGrid");
            w.WriteString("model", "cgrid-meter (Linux)");
            w.WriteString("sw_version", "1.2.3");
            w.WriteEndObject();
            w.WriteEndObject();
        }
        return buffer.ToArray();
    }
}
