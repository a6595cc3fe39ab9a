using System;
using System.Collections.Generic;
using CommunityGrid.Chain.Transactions;
using CommunityGrid.Protocol.Cose;
using CommunityGrid.Simulation.Community;
using CommunityGrid.Simulation.Pipeline;
using CommunityGrid.Simulation.Profiles;

namespace CommunityGrid.Simulation.Tests.Pipeline;

/// <summary>
/// A simulated meter signs through libsodium (issue 18); every reading it makes must be byte for byte what the meter
/// core's portable Ed25519 makes for the same reading and key, so the simulated chain is the one real meters would make.
/// </summary>
public class VirtualMeterSigningTests
{
    [Theory]
    [InlineData(MeterRole.ConnectionPoint)]
    [InlineData(MeterRole.Pv)]
    public void Every_reading_is_the_portable_signers_bytes(MeterRole role)
    {
        var random = new Random(77);
        byte[] seed = new byte[32];
        random.NextBytes(seed);
        const int intervals = 96;
        long[] Series() { var v = new long[intervals]; for (int i = 0; i < v.Length; i++) v[i] = random.Next(0, 5000); return v; }
        var series = new HouseSeries("h001", Series(), Series(), Series(), Series());
        var spec = new SimulatedMeterSpec(role == MeterRole.Pv ? "h001-pv" : "h001-grid", "h001", role, seed, 1000, 2000, 3000);
        const long start = 1_780_272_000;      // 2026-06-01 00:00 UTC, a whole interval
        var meter = new VirtualMeter(spec, series, "sim-community", start, 7);

        var payloads = new List<byte[]>();
        for (long now = start; now <= start + (intervals + 1) * ProfileGenerator.IntervalSeconds; now += 60)
        {
            meter.Tick(now);
            foreach ((long sequence, byte[] payload) in meter.DueForSending(now * 1000))
            {
                payloads.Add(payload);
                meter.Acknowledge(sequence);
            }
        }

        Assert.Equal(intervals, payloads.Count);
        foreach (byte[] payload in payloads)
        {
            OpenedReading opened = SignedReading.Open(payload);
            Assert.True(opened.SignatureValid);
            Assert.Equal(Convert.ToHexString(SignedReading.Create(opened.Reading, seed)), Convert.ToHexString(payload));
        }
    }
}
