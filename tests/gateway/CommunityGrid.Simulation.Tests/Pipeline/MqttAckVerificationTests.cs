using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using CommunityGrid.Meter.Messaging;
using CommunityGrid.Node.Hosting;
using CommunityGrid.Simulation.Pipeline;
using CommunityGrid.Simulation.Report;
using CommunityGrid.Storage;
using IAckPublisher = CommunityGrid.Node.Acks.IAckPublisher;

namespace CommunityGrid.Simulation.Tests.Pipeline;

/// <summary>
/// Over MQTT the simulated meters take acks the way real light-client meters do (protocol §7.3, §7.7): from their acks
/// topic, checked with the meter core against the genesis validator key; only a verified rejection releases readings
/// (committed ones wait for a verified proof, MqttLightClientTests). Since every session of theirs takes proofs, the
/// gateway signs them no committed ack at all. A forged ack sent through the broker must change nothing.
/// </summary>
public class MqttAckVerificationTests
{
    [Fact]
    public async Task MetersActOnlyOnVerifiedAcksAndDropAForgedOne()
    {
        SimulationOptions mqttOptions = SmallRun.Options(3);
        SimulationOptions plainOptions = SmallRun.Options(3);
        ForgingTransport? forging = null;
        try
        {
            SimulationResult result = await new CommunitySimulation(mqttOptions, c => forging = new ForgingTransport(new MqttTransport(c), c.Genesis.ChainId)).RunAsync();
            SimulationResult plain = await new CommunitySimulation(plainOptions, c => new MqttTransport(c)).RunAsync();
            Assert.NotNull(forging);
            Assert.NotNull(forging.ForgedFor);

            // The forged ack was dropped by the meter it was addressed to, and by nobody else.
            Assert.Equal(1, result.Downlink.AcksDropped);
            Assert.Equal(0, result.Downlink.AckWaitTimeouts);
            Assert.Equal(1, forging.Inner.Downlinks[forging.ForgedFor].AcksDropped);
            // The gateway released acks for every meter (its hook saw them) but signed and sent none: all were
            // committed acks, and a light client releases nothing on those (the readings left the queues on verified
            // proofs), so the acks the meters verified are none and none released a reading.
            Assert.NotEmpty(forging.Inner.Downlinks);
            foreach ((string meterId, MeterDownlink downlink) in forging.Inner.Downlinks)
            {
                Assert.True(forging.Inner.ReleasedFor(meterId) > 0, meterId);
                Assert.Equal(0, downlink.AcksVerified);
                Assert.Equal(0, forging.ActedOn.GetValueOrDefault(meterId));
            }
            Assert.Equal(0, result.Proofs.Refused);
            Assert.True(result.Proofs.Releasing > 0);
            Assert.Equal(0, result.Downlink.AcksVerified);
            // Display data only from before the meters had sessions (retained, sent when in doubt): every session takes
            // proofs, where the price and balance are proved, so no interval close signs display data for them (§7.4).
            Assert.True(result.Downlink.DisplaysVerified > 0);
            Assert.True(result.Downlink.DisplaysVerified <= forging.Inner.Downlinks.Count,
                $"{result.Downlink.DisplaysVerified} display messages for {forging.Inner.Downlinks.Count} meters");
            Assert.Equal(0, result.Downlink.DisplaysDropped);

            // Had the forged ack released the meter's queue, readings would be missing; the chain is the one a run
            // without it makes (the MQTT path's own: its block times differ from the direct path's).
            Assert.Equal(result.ReadingsMade, result.ReadingsAccepted);
            Assert.Equal(0, plain.Downlink.AcksDropped);
            Assert.Equal(plain.Downlink.AcksVerified, result.Downlink.AcksVerified);
            (string tip, string root) = Tip(result);
            Assert.Equal(Tip(plain), (tip, root));
        }
        finally
        {
            foreach (string dir in new[] { mqttOptions.OutputDirectory, plainOptions.OutputDirectory })
            {
                if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
            }
        }
    }

    private static (string TipHash, string StateRoot) Tip(SimulationResult result)
    {
        using ChainStore store = SmallRun.Open(result);
        ReportData report = ChainReportReader.Read(store);
        return (report.Community.TipHash, report.Community.StateRoot);
    }

    /// <summary>
    /// The MQTT transport, plus a record of the acks the simulation handed to each meter to release readings, plus one
    /// forged ack: after the first acks arrive, a rejection of a sequence far ahead (it would release the meter's whole
    /// queue) signed with a key that is not the gateway's, published through the node's own broker onto that meter's acks topic.
    /// </summary>
    private sealed class ForgingTransport(MqttTransport inner, string chainId) : IReadingTransport
    {
        public MqttTransport Inner => inner;
        public Dictionary<string, long> ActedOn { get; } = new(StringComparer.Ordinal);
        public string? ForgedFor { get; private set; }

        public string Name => inner.Name;
        public TransportStats Stats => inner.Stats;
        public ValueTask SubmitAsync(IReadOnlyList<byte[]> transactions) => inner.SubmitAsync(transactions);
        public ValueTask PublishAsync(string meterId, long sequence, byte[] signedReading) => inner.PublishAsync(meterId, sequence, signedReading);
        public ValueTask RestartGatewayAsync(long nowMs) => inner.RestartGatewayAsync(nowMs);
        public ValueTask DisposeAsync() => inner.DisposeAsync();
        public IReadOnlyList<ProofDelivery> TakeProofs() => inner.TakeProofs();

        public async ValueTask<IReadOnlyList<ReadingAck>> AdvanceAsync(long nowMs)
        {
            IReadOnlyList<ReadingAck> acks = await inner.AdvanceAsync(nowMs);
            foreach (ReadingAck ack in acks) ActedOn[ack.MeterId] = ActedOn.GetValueOrDefault(ack.MeterId) + 1;
            // Once the gateway has released an ack for a meter (it is connected and subscribed), forge a rejection for it.
            if (ForgedFor is null && inner.Downlinks.Values.FirstOrDefault(d => inner.ReleasedFor(d.MeterId) > 0) is { } acked)
            {
                ForgedFor = acked.MeterId;
                await ForgeAsync(acked.MeterId, 1000);
            }
            return acks;
        }

        private async Task ForgeAsync(string meterId, long sequence)
        {
            byte[] wrongKey = SHA256.HashData(Encoding.UTF8.GetBytes("not the gateway's key"));
            byte[] forged = GatewayAckCodec.Sign(new GatewayAck(chainId, meterId, sequence, AckStatus.Rejected, 1, 0, "Replay: forged"), wrongKey);
            // The gateway's own ack path onto the meters' topics: the one place a forged ack could come from.
            IAckPublisher broker = inner.Node?.MeterLink ?? throw new InvalidOperationException("the node is not running with a meter link");
            await broker.PublishAckAsync(meterId, forged, CancellationToken.None);
            // Delivery is asynchronous: wait (bounded) until the meter has seen and dropped it.
            var waited = Stopwatch.StartNew();
            while (Interlocked.Read(ref inner.Downlink.AcksDropped) == 0 && waited.Elapsed < TimeSpan.FromSeconds(10)) await Task.Delay(5);
            Assert.Equal(1, Interlocked.Read(ref inner.Downlink.AcksDropped));
        }
    }
}
