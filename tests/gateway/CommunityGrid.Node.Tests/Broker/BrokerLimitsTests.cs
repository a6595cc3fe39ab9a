using CommunityGrid.Peering.Transport;
using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Threading.Tasks;
using CommunityGrid.Meter.Messaging;
using CommunityGrid.Node.Hosting;
using CommunityGrid.Node.Ingest;
using CommunityGrid.Node.Tests.Support;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;

namespace CommunityGrid.Node.Tests.Broker;

/// <summary>
/// Issue 11, case 3: four unauthenticated 64 MB CONNECTs and one authenticated 100 MB publish grew the gateway by
/// hundreds of MB, and sockets that never sent CONNECT stayed open. Now packets are bounded before and after login,
/// a CONNECT has a deadline, and connections are capped per meter and in all.
/// </summary>
public sealed class BrokerLimitsTests
{
    private const byte Connect = 0x10;

    [Fact]
    public async Task Oversized_packets_and_sockets_that_never_connect_are_closed_by_a_real_gateway()
    {
        using var grid = new TestGrid(1);
        int port = LoopbackPorts.Reserve();
        using GatewayProcess gateway = await GatewayProcess.StartAsync(grid, "--mqtt", $"127.0.0.1:{port}");

        // Four CONNECTs announcing 64 MB: closed after their header, before the body is read or allocated.
        var flood = new List<RawSocket>();
        for (int i = 0; i < 4; i++)
        {
            RawSocket socket = await RawSocket.ConnectAsync(port);
            flood.Add(socket);
            Assert.True(await socket.TryWriteAsync([.. RawSocket.FixedHeader(Connect, 64 * 1024 * 1024), .. new byte[4096]]));
        }
        foreach (RawSocket socket in flood)
        {
            Assert.True(await socket.ClosedByServerAsync(TimeSpan.FromSeconds(5)), "a 64 MB CONNECT was not refused:\n" + gateway.Log);
            socket.Dispose();
        }
        // The console logger writes in the background: the line may follow the close by a moment.
        await Waits.UntilAsync(() => gateway.LinesContaining("a first packet (CONNECT, before login) of 67108864 bytes").Any(), TimeSpan.FromSeconds(5),
            "the gateway's log line for the oversized CONNECT\n" + gateway.Log);

        // An authenticated meter publishing 1 MB: the connection ends, nothing is taken.
        var meter = new MqttClientFactory().CreateMqttClient();
        await meter.ConnectAsync(new MqttClientOptionsBuilder().WithTcpServer("127.0.0.1", port).WithProtocolVersion(MqttProtocolVersion.V500)
            .WithClientId("cgrid-meter-m01").WithCredentials("m01", MqttCredentials.Password(TestGrid.ChainId, "m01", grid.MeterSeeds["m01"])).Build());
        try
        {
            await meter.PublishAsync(new MqttApplicationMessageBuilder().WithTopic(RawMeterClient.ReadingsTopic("m01"))
                .WithPayload(new byte[1024 * 1024]).WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build());
        }
        catch (Exception e) when (e is MQTTnet.Exceptions.MqttCommunicationException or MQTTnet.Exceptions.MqttClientNotConnectedException or OperationCanceledException)
        {
            // The broker closed the connection before its PUBACK: expected.
        }
        await Waits.UntilAsync(() => !meter.IsConnected, TimeSpan.FromSeconds(5), "the broker to close the connection of a 1 MB publish");
        meter.Dispose();
        await Waits.UntilAsync(() => gateway.Lines.Any(l => l.Contains("a packet of 1048", StringComparison.Ordinal) && l.Contains("the limit is 16384", StringComparison.Ordinal)),
            TimeSpan.FromSeconds(5), "the gateway's log line for the 1 MB publish");

        // Sockets that never send CONNECT are closed after the connect timeout (10 s), not kept.
        var idle = new List<RawSocket>();
        for (int i = 0; i < 50; i++) idle.Add(await RawSocket.ConnectAsync(port));
        bool[] closed = await Task.WhenAll(idle.Select(s => s.ClosedByServerAsync(TimeSpan.FromSeconds(20))));
        Assert.All(closed, Assert.True);
        idle.ForEach(s => s.Dispose());
        await Waits.UntilAsync(() => gateway.LinesContaining("no complete CONNECT within 10 s").Any(), TimeSpan.FromSeconds(5), "the gateway's log line for an idle socket");
        Assert.False(gateway.HasExited);
    }

    [Fact]
    public async Task Connections_are_capped_in_all_and_sessions_per_meter()
    {
        using var grid = new TestGrid(1);
        int port = LoopbackPorts.Reserve();
        BrokerLimits limits = BrokerLimits.Default with { MaxConnections = 8, MaxSessionsPerMeter = 2, ConnectTimeout = TimeSpan.FromSeconds(30) };
        await using GatewayNode node = await GatewayNode.StartAsync(grid.NodeOptions(port) with { MqttLimits = limits });
        string password = MqttCredentials.Password(TestGrid.ChainId, "m01", grid.MeterSeeds["m01"]);

        // Per meter: two sessions under two client ids, a third refused; the same id again replaces its own session.
        await using var first = new RawMeterClient("m01", grid.Gateway.PublicKey);
        await using var second = new RawMeterClient("m01", grid.Gateway.PublicKey);
        await using var third = new RawMeterClient("m01", grid.Gateway.PublicKey);
        await using var again = new RawMeterClient("m01", grid.Gateway.PublicKey);
        Assert.Equal(MqttClientConnectResultCode.Success, await first.ConnectAsync(port, password, "cgrid-meter-m01"));
        Assert.Equal(MqttClientConnectResultCode.Success, await second.ConnectAsync(port, password, "m01-tool"));
        Assert.Equal(MqttClientConnectResultCode.QuotaExceeded, await third.ConnectAsync(port, password, "m01-tool-2"));
        Assert.Contains("already holds 2 sessions", third.LastConnect!.ReasonString, StringComparison.Ordinal);
        Assert.Equal(MqttClientConnectResultCode.Success, await again.ConnectAsync(port, password, "cgrid-meter-m01"));

        // In all: idle sockets fill the cap of 8 (beside the meter's open connections); the next socket is closed at once.
        var broker = (EmbeddedBroker)node.MeterLink!;
        var idle = new List<RawSocket>();
        while (broker.OpenConnections < limits.MaxConnections)
        {
            Assert.True(idle.Count < limits.MaxConnections, $"the broker counts {broker.OpenConnections} connections after {idle.Count} idle sockets");
            idle.Add(await RawSocket.ConnectAsync(port));
            await Waits.UntilAsync(() => broker.OpenConnections >= idle.Count, TimeSpan.FromSeconds(3), "the broker to count the new socket");
        }
        using (RawSocket over = await RawSocket.ConnectAsync(port))
        {
            Assert.True(await over.ClosedByServerAsync(TimeSpan.FromSeconds(3)), "a socket past the connection cap stayed open");
        }
        Assert.False(await idle[0].ClosedByServerAsync(TimeSpan.FromMilliseconds(300)), "a socket within the cap was closed");
        // Room again once some close.
        idle[0].Dispose();
        idle[1].Dispose();
        await Task.Delay(300);
        await using var later = new RawMeterClient("m01", grid.Gateway.PublicKey);
        Assert.Equal(MqttClientConnectResultCode.Success, await later.ConnectAsync(port, password, "cgrid-meter-m01"));
        idle.ForEach(s => s.Dispose());
    }
}
