using System;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using CommunityGrid.Meter.Linux.Tests.Broker;
using CommunityGrid.Meter.Linux.Tests.Gateway;
using CommunityGrid.Meter.Linux.Tests.Meter;

namespace CommunityGrid.Meter.Linux.Tests.Mqtt;

[Collection(MosquittoCollection.Name)]
public sealed class TlsTests
{
    private static readonly DateTimeOffset Noon = new(2026, 6, 21, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Over_mqtts_the_meter_publishes_when_the_broker_chains_to_its_ca_and_refuses_any_other_broker()
    {
        using var broker = new MosquittoBroker(tls: true);
        using var home = new VirtualMeterHome("meter-0005", broker.TlsUrl, resendSeconds: 30, caFile: broker.Certificates!.CaFile);
        // The test gateway listens on the broker's plain loopback listener; only the meter's link is TLS.
        await using var gateway = new TestGateway(broker.Port, VirtualMeterHome.ChainId, home.MeterId, home.MeterPublicKey, home.Gateway, acking: true);
        await gateway.WaitConnectedAsync(TimeSpan.FromSeconds(10));
        using (var meter = home.Start(timeScale: 60, start: Noon))
        {
            await gateway.WaitCommittedAsync(2, TimeSpan.FromSeconds(20), meter.Transcript);
            Assert.Equal(0, meter.Terminate(TimeSpan.FromSeconds(10)));
        }
        Assert.Empty(gateway.Problems());

        // Another community's CA: the broker's certificate does not chain to it, so the meter never connects.
        using var elsewhere = new MosquittoBroker(tls: true);
        using var wrongCa = new VirtualMeterHome("meter-0006", broker.TlsUrl, resendSeconds: 30, caFile: elsewhere.Certificates!.CaFile);
        using var refused = wrongCa.Start(timeScale: 60, start: Noon);
        var failure = refused.WaitFor(line => line.Event == "mqtt.connect_failed", TimeSpan.FromSeconds(15), "a refused TLS connection");
        Assert.Contains("The remote certificate", failure.Get("error"));
        await Task.Delay(TimeSpan.FromSeconds(1.5));
        Assert.Empty(refused.Events("mqtt.connected"));
        Assert.Equal(0, refused.Terminate(TimeSpan.FromSeconds(10)));
    }
}
