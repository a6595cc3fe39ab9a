using System;
using System.Diagnostics;
using CommunityGrid.Formats.Readings;
using CommunityGrid.Formats.Signing;
using NSec.Cryptography;

namespace CommunityGrid.Simulation.Floor;

/// <summary>
/// The least any implementation must spend on the readings' cryptography: each reading signed once (by its meter)
/// and verified once (by the gateway) with libsodium, on one thread. The messages are signed readings as the
/// simulator makes them, one key per meter, all made before the clock starts.
/// </summary>
public static class CryptoFloor
{
    public sealed record Figure(long Readings, TimeSpan Wall, TimeSpan Cpu);

    public static Figure Measure(long readings, int meters = 200)
    {
        var keys = new Ed25519Signer[meters];
        var publicKeys = new PublicKey[meters];
        var messages = new byte[readings][];
        var random = new Random(18);
        for (int m = 0; m < meters; m++)
        {
            byte[] seed = new byte[Ed25519Signer.SeedSize];
            random.NextBytes(seed);
            keys[m] = Ed25519Signer.FromSeed(seed);
            // Imported once per meter, as a gateway that knows its meters would keep them.
            publicKeys[m] = PublicKey.Import(SignatureAlgorithm.Ed25519, keys[m].PublicKey, KeyBlobFormat.RawPublicKey);
        }
        for (long i = 0; i < readings; i++)
        {
            var reading = new MeterReading("sim-community", $"h{i % meters / 2 + 1:000}-{(i % 2 == 0 ? "grid" : "pv")}", i / meters + 1,
                1_780_272_000 + i / meters * 900, 900, random.Next(0, 5_000_000), random.Next(0, 5_000_000), random.Next(0, 5_000_000), "sim-1.0");
            messages[i] = ReadingCbor.Encode(reading);
        }
        Process self = Process.GetCurrentProcess();
        TimeSpan cpuBefore = self.TotalProcessorTime;
        var wall = Stopwatch.StartNew();
        long valid = 0;
        for (long i = 0; i < readings; i++)
        {
            byte[] signature = keys[i % meters].Sign(messages[i]);
            if (SignatureAlgorithm.Ed25519.Verify(publicKeys[i % meters], messages[i], signature)) valid++;
        }
        wall.Stop();
        self.Refresh();
        TimeSpan cpu = self.TotalProcessorTime - cpuBefore;
        foreach (Ed25519Signer key in keys) key.Dispose();
        if (valid != readings) throw new InvalidOperationException($"only {valid} of {readings} signatures verified");
        return new Figure(readings, wall.Elapsed, cpu);
    }
}
