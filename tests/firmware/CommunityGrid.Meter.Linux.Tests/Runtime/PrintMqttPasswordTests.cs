using System;
using System.Linq;
using CommunityGrid.Meter.Linux.Config;
using CommunityGrid.Meter.Linux.Runtime;
using CommunityGrid.Meter.Linux.Tests.Meter;
using CommunityGrid.Meter.Messaging;

namespace CommunityGrid.Meter.Linux.Tests.Runtime;

/// <summary>An operator putting meters behind Mosquitto needs each meter's key-derived password for its password file.</summary>
public sealed class PrintMqttPasswordTests
{
    [Fact]
    public void Prints_the_password_the_gateway_accepts_for_the_enrolled_key_and_exits()
    {
        using var home = new VirtualMeterHome("m-pw-01", "mqtt://127.0.0.1:1");
        using var meter = new MeterProcess(home.ConfigPath, "--print-mqtt-password");

        Assert.True(meter.WaitForExit(TimeSpan.FromSeconds(30)) == 0, meter.Transcript());

        string printed = Assert.Single(meter.Lines()).Text.Trim();
        Assert.Matches("^[0-9a-f]{128}$", printed);
        Assert.Equal(MqttCredentials.Password(VirtualMeterHome.ChainId, home.MeterId, home.MeterSeed), printed);
        Assert.True(MqttCredentials.Check(VirtualMeterHome.ChainId, home.MeterId, home.MeterPublicKey, printed));
    }

    [Fact]
    public void Printing_the_password_takes_no_runtime_options()
    {
        var error = Assert.Throws<ConfigException>(() => CommandLine.Parse(["--config", "m.json", "--print-mqtt-password", "--simulate"]));
        Assert.Contains("--print-mqtt-password", error.Message);
        Assert.True(CommandLine.Parse(["--config", "m.json", "--print-mqtt-password"]).PrintMqttPassword);
    }
}
