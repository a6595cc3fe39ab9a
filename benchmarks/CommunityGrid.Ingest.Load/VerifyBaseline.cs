using System;
using System.Diagnostics;
using System.Linq;
using CommunityGrid.Formats.Cose;
using NSec.Cryptography;

namespace CommunityGrid.Ingest.Load;

/// <summary>
/// The baseline: libsodium (NSec) Ed25519 verification of exactly the readings the meters publish, once each, on one
/// thread. What is signed (each COSE Sig_structure) and each meter's imported public key are prepared before the clock
/// starts, so only the verifications are timed.
/// </summary>
public static class VerifyBaseline
{
    public sealed record Figure(long Readings, double WallSeconds, double CpuSeconds)
    {
        public double PerSecond => Readings / WallSeconds;
    }

    public static Figure Measure(LoadCommunity community)
    {
        PublicKey[] keys = community.MeterSeeds.Select(k => PublicKey.Import(SignatureAlgorithm.Ed25519, k.PublicKey, KeyBlobFormat.RawPublicKey)).ToArray();
        var signed = community.Readings.SelectMany((readings, m) => readings.Select(r =>
        {
            DecodedCoseSign1 cose = CoseSign1Codec.Decode(r, ContentTypes.Reading);
            return (Key: keys[m], Message: CoseSign1Codec.SigStructure(cose.ProtectedHeader, cose.Payload), cose.Signature);
        })).ToArray();
        Process self = Process.GetCurrentProcess();
        TimeSpan cpuBefore = self.TotalProcessorTime;
        var wall = Stopwatch.StartNew();
        long valid = 0;
        foreach ((PublicKey key, byte[] message, byte[] signature) in signed)
        {
            if (SignatureAlgorithm.Ed25519.Verify(key, message, signature)) valid++;
        }
        wall.Stop();
        self.Refresh();
        double cpu = (self.TotalProcessorTime - cpuBefore).TotalSeconds;
        if (valid != signed.Length) throw new InvalidOperationException($"only {valid} of {signed.Length} readings verified");
        return new Figure(signed.Length, wall.Elapsed.TotalSeconds, cpu);
    }
}
