using CommunityGrid.Peering.Transport;
using System;
using System.Linq;
using System.Threading.Tasks;
using CommunityGrid.Node.Tests.Support;

namespace CommunityGrid.Node.Tests.Broker;

/// <summary>
/// Issue 11, case 11: a refused MQTT login reached the meter as MqttClientNotConnectedException, without the
/// CONNACK's reason. A real cgrid-meter against a real gateway's embedded broker now logs the code, the broker's
/// reason and what to do.
/// </summary>
public sealed class MeterLoginRefusalTests
{
    [Fact]
    public async Task A_meter_the_chain_does_not_know_logs_the_refusal_code_the_reason_and_what_to_do()
    {
        using var grid = new TestGrid(1, "ghost");
        int port = LoopbackPorts.Reserve();
        using GatewayProcess gateway = await GatewayProcess.StartAsync(grid, "--mqtt", $"127.0.0.1:{port}");
        using CgridMeterProcess meter = CgridMeterProcess.Start(grid, "ghost", port, DateTimeOffset.UtcNow.AddHours(-1));

        await Waits.UntilAsync(() => meter.Contains("event=mqtt.refused"), TimeSpan.FromSeconds(30), "the meter's mqtt.refused line\n" + meter.Log);
        string refused = meter.Lines.First(l => l.Contains("event=mqtt.refused", StringComparison.Ordinal));
        Assert.Contains("level=error", refused, StringComparison.Ordinal);
        Assert.Contains("code=BadUserNameOrPassword", refused, StringComparison.Ordinal);
        Assert.Contains("'ghost' is not a meter enrolled on chain 'node-test'", refused, StringComparison.Ordinal);
        Assert.Contains("cgrid meter enrol", refused, StringComparison.Ordinal);
        Assert.False(meter.Contains("MqttClientNotConnectedException"), "the refusal still surfaces as 'not connected':\n" + meter.Log);
    }
}
