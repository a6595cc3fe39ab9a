using CommunityGrid.Meter.Configuration;

namespace CommunityGrid.Meter.Tests.Configuration;

/// <summary>Every way the meter refuses a configuration: the error names the line (0 = the key is absent), the key and the remedy.</summary>
public class MeterConfigErrorTests
{
    private const string Long33 = "abcdefghijklmnopqrstuvwxyz0123456";

    [Theory]
    // required keys
    [InlineData("-wifi.ssid", "wifi.ssid", "wifi.ssid: missing; add a line 'wifi.ssid = HouseholdWiFi'")]
    [InlineData("-mqtt.host", "mqtt.host", "mqtt.host: missing; add a line")]
    [InlineData("-chain.id", "chain.id", "chain.id: missing; add a line")]
    [InlineData("-meter.id", "meter.id", "meter.id: missing; add a line")]
    [InlineData("-gateway.keys", "gateway.keys", "gateway.keys: missing; add a line")]
    [InlineData("wifi.ssid =", "wifi.ssid", "wifi.ssid: empty; write a value after '='")]
    [InlineData("meter.id =   ", "meter.id", "meter.id: empty")]
    // Wi-Fi
    [InlineData("wifi.ssid = " + Long33, "wifi.ssid", "longer than 32 bytes")]
    [InlineData("wifi.password = short12", "wifi.password", "has 7 characters, WPA2/WPA3 needs 8..63")]
    [InlineData("wifi.password = " + Long33 + Long33, "wifi.password", "has 66 characters")]
    // MQTT
    [InlineData("mqtt.host = mqtts://gateway.local", "mqtt.host", "is not a host name; write only the name or IP address")]
    [InlineData("mqtt.host = gateway local", "mqtt.host", "is not a host name")]
    [InlineData("mqtt.host = gateway.local:8883", "mqtt.host", "contains a port; write the port in mqtt.port")]
    [InlineData("mqtt.tls = yes", "mqtt.tls", "'yes' is not allowed; write false or true")]
    [InlineData("mqtt.port = 0", "mqtt.port", "'0' is out of range; a TCP port is 1..65535")]
    [InlineData("mqtt.port = 65536", "mqtt.port", "is out of range")]
    [InlineData("mqtt.port = -1", "mqtt.port", "'-1' is not a whole number")]
    [InlineData("mqtt.port = 88 83", "mqtt.port", "is not a whole number")]
    [InlineData("mqtt.tls = false|mqtt.ca = ca.pem", "mqtt.ca", "is set but mqtt.tls = false")]
    [InlineData("mqtt.ca = certs/ca.pem", "mqtt.ca", "is not a plain file name")]
    [InlineData("mqtt.ca = I:\\ca.pem", "mqtt.ca", "is not a plain file name")]
    // ids and interval
    [InlineData("chain.id = cg/test", "chain.id", "character '/' at index 2 cannot appear in an MQTT topic level; write the chain's id")]
    [InlineData("meter.id = meter+7", "meter.id", "character '+'")]
    [InlineData("meter.id = #", "meter.id", "character '#'")]
    [InlineData("meter.id = " + Long33 + Long33, "meter.id", "longer than 64 bytes")]
    [InlineData("interval.seconds = 59", "interval.seconds", "out of range; the chain's settlement interval")]
    [InlineData("interval.seconds = 86401", "interval.seconds", "out of range")]
    [InlineData("interval.seconds = 1000", "interval.seconds", "'1000' does not divide 86400")]
    [InlineData("interval.seconds = 15m", "interval.seconds", "not a whole number")]
    // gateway keys
    [InlineData("gateway.keys = d75a98", "gateway.keys", "key 1 of 1 is not 64 hex digits")]
    [InlineData("gateway.keys = " + ConfigTexts.GatewayKey + ",", "gateway.keys", "key 2 of 2 is not 64 hex digits")]
    [InlineData("gateway.keys = zz5a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a", "gateway.keys", "key 1 of 1")]
    [InlineData("installer.keys = abc", "installer.keys", "key 1 of 1 is not 64 hex digits")]
    // channels
    [InlineData("grid.source = none", "grid.source", "must not be none")]
    [InlineData("grid.source = sdm999", "grid.source", "'sdm999' is not allowed; write none, ina219, ina226, sdm120 or sdm630")]
    [InlineData("grid.address = 0", "grid.address", "a Modbus slave id is 1..247")]
    [InlineData("grid.address = 248", "grid.address", "out of range")]
    [InlineData("grid.source = ina219|grid.address = 0x3F", "grid.address", "an INA219/INA226 answers at 0x40..0x4F")]
    [InlineData("grid.source = ina226|grid.address = 0x50", "grid.address", "out of range")]
    [InlineData("grid.source = ina219|grid.address = 0xZZ", "grid.address", "'0xZZ' is not a whole number")]
    [InlineData("grid.source = ina219|grid.shunt.microohms = 0", "grid.shunt.microohms", "the shunt in micro-ohms, 1..10000000")]
    [InlineData("grid.source = ina219|grid.shunt.microohms = 10000001", "grid.shunt.microohms", "out of range")]
    [InlineData("grid.source = ina226|grid.current.lsb.microamps = 0", "grid.current.lsb.microamps", "the current resolution in micro-amps")]
    [InlineData("grid.source = ina219|grid.shunt.microohms = 1|grid.current.lsb.microamps = 1", "grid.current.lsb.microamps", "calibration")]
    [InlineData("grid.shunt.microohms = 100000", "grid.shunt.microohms", "does not apply to grid.source = sdm630; remove the line or correct grid.source")]
    [InlineData("pv.address = 2", "pv.address", "does not apply to pv.source = none")]
    [InlineData("pv.source = sdm120|pv.address = 2|pv.current.lsb.microamps = 100", "pv.current.lsb.microamps", "does not apply to pv.source = sdm120")]
    [InlineData("pv.source = ina219|pv.register = export", "pv.register", "does not apply to pv.source = ina219")]
    [InlineData("pv.register = import", "pv.register", "does not apply to pv.source = none")]
    [InlineData("pv.source = sdm120|pv.address = 2|pv.register = both", "pv.register", "write import or export")]
    [InlineData("pv.source = sdm120", "pv.address", "grid and pv both use address 1 on the same bus")]
    [InlineData("grid.source = ina219|pv.source = ina226", "pv.address", "grid and pv both use address 64")]
    // Modbus, LCD, currency
    [InlineData("modbus.baud = 9601", "modbus.baud", "write 1200, 2400, 4800, 9600, 19200 or 38400")]
    [InlineData("modbus.parity = mark", "modbus.parity", "write none, even or odd")]
    [InlineData("modbus.stopbits = 3", "modbus.stopbits", "write 1 or 2")]
    [InlineData("lcd.address = 0x30", "lcd.address", "'0x30' is not allowed; a PCF8574 backpack")]
    [InlineData("lcd.address = 0x80", "lcd.address", "out of range; a PCF8574 backpack")]
    [InlineData("lcd.columns = 40", "lcd.columns", "write 16 or 20")]
    [InlineData("lcd.rows = 3", "lcd.rows", "write 2 or 4")]
    [InlineData("currency.code = eur", "currency.code", "'eur' is not a currency code; write its three capital letters")]
    [InlineData("currency.code = EURO", "currency.code", "is not a currency code")]
    [InlineData("currency.decimals = 5", "currency.decimals", "0..4 digits after the decimal point")]
    [InlineData("time.zone = Europe/Berlin", "time.zone", "is a zone name, and the meter has no zone database")]
    [InlineData("time.zone = CET-1CEST", "time.zone", "no rule for when CEST starts and ends")]
    public void IsRefusedWithLineKeyAndRemedy(string changes, string key, string expected)
    {
        string text = ConfigTexts.With(changes.Split('|'));
        var error = Assert.Throws<ConfigException>(() => MeterConfig.Parse(text));
        int line = ConfigTexts.LineOf(text, key);
        Assert.Equal(key, error.Key);
        Assert.Equal(line, error.LineNumber);
        Assert.StartsWith(line == 0 ? key + ": " : "line " + line + ", " + key + ": ", error.Message);
        Assert.Contains(expected, error.Message);
        Assert.DoesNotContain(ConfigTexts.Password, error.Message);
    }

    [Fact]
    public void TheWifiPasswordNeverAppearsInAnError()
    {
        var error = Assert.Throws<ConfigException>(() => MeterConfig.Parse(ConfigTexts.With("wifi.password = seven77")));
        Assert.DoesNotContain("seven77", error.Message);
    }
}
