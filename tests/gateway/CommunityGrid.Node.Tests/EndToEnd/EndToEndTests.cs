using CommunityGrid.Peering.Transport;
using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using CommunityGrid.Meter.Messaging;
using CommunityGrid.Node.Tests.Support;
using CommunityGrid.Storage;

namespace CommunityGrid.Node.Tests.EndToEnd;

/// <summary>Several meters → broker → gateway process → blocks, first through the embedded broker, then through Mosquitto.</summary>
public sealed class EndToEndTests
{
    private const int Meters = 4;
    private const int ReadingsPerMeter = 25;

    [Fact]
    public async Task Meters_through_the_embedded_broker_end_up_in_blocks_and_are_acknowledged_where_they_are()
    {
        using var grid = new TestGrid(Meters);
        int port = LoopbackPorts.Reserve();
        using GatewayProcess gateway = await GatewayProcess.StartAsync(grid, "--mqtt", $"127.0.0.1:{port}");
        await RunMetersAsync(grid, port, gateway);
        Assert.Equal(0, await gateway.StopAsync());
        Assert.Contains(gateway.Lines, l => l.Contains("gateway stopped", StringComparison.Ordinal));
        VerifyChain(grid);
    }

    [Fact]
    public async Task Meters_through_Mosquitto_as_external_broker_end_up_in_blocks_and_are_acknowledged()
    {
        using var grid = new TestGrid(Meters);
        Dictionary<string, string> passwords = grid.Meters.ToDictionary(m => m.Key, m => MqttCredentials.Password(TestGrid.ChainId, m.Key, Seed(grid, m.Key)));
        using Mosquitto broker = await Mosquitto.StartAsync(System.IO.Path.Combine(grid.Directory, "mosquitto"), TestGrid.ChainId, passwords);
        string passwordFile = System.IO.Path.Combine(grid.Directory, "broker-password");
        await System.IO.File.WriteAllTextAsync(passwordFile, broker.GatewayPassword + "\n");
        using GatewayProcess gateway = await GatewayProcess.StartAsync(grid,
            "--mqtt-broker", $"mqtt://127.0.0.1:{broker.Port}", "--mqtt-username", Mosquitto.GatewayUser, "--mqtt-password-file", passwordFile);
        await Waits.UntilAsync(() => gateway.LinesContaining("mqtt connected").Any(), TimeSpan.FromSeconds(15), "the gateway to connect to Mosquitto");
        await RunMetersAsync(grid, broker.Port, gateway);
        Assert.Equal(0, await gateway.StopAsync());
        VerifyChain(grid);
    }

    /// <summary>The test meters keep the seeds; TestGrid keeps signers. Seeds are recovered through the meter registry.</summary>
    internal static byte[] Seed(TestGrid grid, string meterId) => grid.MeterSeeds[meterId];

    private static async Task RunMetersAsync(TestGrid grid, int port, GatewayProcess gateway)
    {
        var meters = grid.Meters.Select(m => new TestMeter(m.Key, m.Value, Seed(grid, m.Key), grid.Gateway.PublicKey, port)).ToList();
        try
        {
            foreach (TestMeter meter in meters)
            {
                meter.Produce(ReadingsPerMeter);
                meter.Start();
            }
            foreach (TestMeter meter in meters)
            {
                Assert.True(await meter.WaitDrainedAsync(TimeSpan.FromSeconds(30)), $"{meter.MeterId} still has {meter.Unacked} unacknowledged readings; gateway log:\n{gateway.Log}");
            }
            foreach (TestMeter meter in meters)
            {
                Assert.Empty(meter.Conflicts);
                // Acks are cumulative (a block's readings of a meter get one ack, for the highest): all were released.
                Assert.Equal(ReadingsPerMeter, meter.Released);
                Assert.True(meter.Acks.ContainsKey(ReadingsPerMeter), $"{meter.MeterId}: no ack for its last reading");
                Assert.All(meter.Acks.Values, a => Assert.NotEqual(AckStatus.Rejected, a.Status));
            }
            using ChainStore chain = grid.OpenChain();
            foreach (TestMeter meter in meters)
            {
                var stored = chain.GetReadings(meter.MeterId, 0, 1000).ToDictionary(r => r.Sequence);
                Assert.Equal(ReadingsPerMeter, stored.Count);
                foreach (GatewayAck ack in meter.Acks.Values)
                {
                    Assert.Equal(ack.BlockHeight, stored[ack.Sequence].Height);
                    Assert.Equal(ack.TxIndex, stored[ack.Sequence].Index);
                }
            }
        }
        finally
        {
            foreach (TestMeter meter in meters) await meter.DisposeAsync();
        }
    }

    private static void VerifyChain(TestGrid grid)
    {
        using ChainStore chain = grid.OpenChain();
        Assert.True(chain.Height >= 2, $"expected blocks after the enrolment block, height is {chain.Height}");
    }
}
