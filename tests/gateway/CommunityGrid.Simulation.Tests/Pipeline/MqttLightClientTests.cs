using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using CommunityGrid.Meter.LightClient;
using CommunityGrid.Simulation.Pipeline;
using CommunityGrid.Simulation.Report;
using CommunityGrid.Storage;

namespace CommunityGrid.Simulation.Tests.Pipeline;

/// <summary>
/// Over MQTT the simulated meters are light clients (protocol §7.6, §7.7): a committed reading leaves a meter's queue
/// only when the meter core's <see cref="MeterLightClient"/> verified a proof message for it. One meter's proof
/// messages are tampered with (a bit of the commit certificate's last signature flipped) for the first hour: each is
/// refused, nothing is released, so the meter sends those readings again after its resend timeout; once genuine proofs
/// arrive they are released and the chain is the one a run without tampering makes.
/// </summary>
public class MqttLightClientTests
{
    private const string Victim = "h001-grid";
    private const long TamperForMs = 3600_000;

    [Fact]
    public async Task MetersReleaseOnlyOnVerifiedProofsAndRefuseATamperedOne()
    {
        SimulationOptions tamperedOptions = SmallRun.Options(3);
        SimulationOptions plainOptions = SmallRun.Options(3);
        TamperingTransport? tampering = null, plainRecorder = null;
        try
        {
            long start = tamperedOptions.StartUnixSeconds * 1000;
            SimulationResult tampered = await new CommunitySimulation(tamperedOptions, c => tampering = new TamperingTransport(new MqttTransport(c), start + TamperForMs)).RunAsync();
            SimulationResult plain = await new CommunitySimulation(plainOptions, c => plainRecorder = new TamperingTransport(new MqttTransport(c), untilMs: long.MinValue)).RunAsync();
            Assert.NotNull(tampering);
            Assert.NotNull(plainRecorder);

            // Without tampering every proof verifies, and each reading is sent exactly once: proofs released them in time.
            Assert.Equal(0, plain.Proofs.Refused);
            Assert.Equal(0, plain.Proofs.WaitTimeouts);
            Assert.True(plain.Proofs.Verified > 0);
            Assert.True(plain.Proofs.Releasing > 0);
            Assert.True(plain.Proofs.SignatureChecks >= plain.Proofs.Verified / 10);
            Assert.True(plainRecorder.Resent.Count == 0,
                $"resent without tampering: {string.Join(", ", plainRecorder.Resent)}; ack wait timeouts {plain.Downlink.AckWaitTimeouts}, "
                + $"settle wait timeouts {plain.SettleWaitTimeouts}");
            Assert.Equal(plain.ReadingsMade, plain.ReadingsAccepted);
            Assert.Equal(0, plain.Duplicates);

            // Every tampered message was refused for its signature, and only those.
            Assert.True(tampering.Tampered > 1);
            Assert.Equal(tampering.Tampered, tampered.Proofs.Refused);
            Assert.All(tampered.Proofs.FirstRefusals, r => Assert.Contains(Victim + " ", r));
            Assert.All(tampered.Proofs.FirstRefusals, r => Assert.Contains(nameof(LightClientVerdict.BadSignature), r));
            // Nothing was released by them: the victim, and only it, sent readings again that the chain already held
            // (the gateway answered them AlreadyCommitted, a signed ack that releases nothing on a light client).
            Assert.NotEmpty(tampering.Resent);
            Assert.All(tampering.Resent, r => Assert.Equal(Victim, r.Meter));
            Assert.True(tampered.Duplicates > 0);
            // Genuine proofs after the first hour released everything; the chain is the untampered run's.
            Assert.Equal(tampered.ReadingsMade, tampered.ReadingsAccepted);
            Assert.Equal(Tip(plain), Tip(tampered));
        }
        finally
        {
            foreach (string dir in new[] { tamperedOptions.OutputDirectory, plainOptions.OutputDirectory })
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
    /// The MQTT transport, recording every publish (a sequence published twice by a meter is a resend), and flipping one
    /// bit of the commit certificate's last signature in every proof message <see cref="Victim"/> receives before
    /// <paramref name="untilMs"/> (virtual time) — what a gateway forging a commit would send.
    /// </summary>
    private sealed class TamperingTransport(MqttTransport inner, long untilMs) : IReadingTransport
    {
        private readonly HashSet<(string, long)> published = [];
        private long nowMs;

        public List<(string Meter, long Sequence)> Resent { get; } = [];
        public int Tampered { get; private set; }

        public string Name => inner.Name;
        public TransportStats Stats => inner.Stats;
        public ValueTask SubmitAsync(IReadOnlyList<byte[]> transactions) => inner.SubmitAsync(transactions);
        public ValueTask RestartGatewayAsync(long now) => inner.RestartGatewayAsync(now);
        public ValueTask DisposeAsync() => inner.DisposeAsync();

        public ValueTask PublishAsync(string meterId, long sequence, byte[] signedReading)
        {
            if (!published.Add((meterId, sequence))) Resent.Add((meterId, sequence));
            return inner.PublishAsync(meterId, sequence, signedReading);
        }

        public ValueTask<IReadOnlyList<ReadingAck>> AdvanceAsync(long now)
        {
            nowMs = now;
            return inner.AdvanceAsync(now);
        }

        public IReadOnlyList<ProofDelivery> TakeProofs()
        {
            IReadOnlyList<ProofDelivery> proofs = inner.TakeProofs();
            if (nowMs >= untilMs) return proofs;
            return proofs.Select(p => p.MeterId == Victim ? Tamper(p) : p).ToList();
        }

        private ProofDelivery Tamper(ProofDelivery proof)
        {
            byte[] certificate = ProofMessage.Decode(proof.Payload).Certificate;
            int at = proof.Payload.AsSpan().IndexOf(certificate);
            Assert.True(at > 0);
            byte[] forged = (byte[])proof.Payload.Clone();
            forged[at + certificate.Length - 1] ^= 0x01;       // the last byte of the last signature
            Tampered++;
            return proof with { Payload = forged };
        }
    }
}
