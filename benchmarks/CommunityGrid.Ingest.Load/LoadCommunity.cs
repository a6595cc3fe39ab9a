using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using CommunityGrid.Chain.Genesis;
using CommunityGrid.Chain.Transactions;
using CommunityGrid.Formats.Cose;
using CommunityGrid.Formats.Keys;
using CommunityGrid.Formats.Readings;
using CommunityGrid.Formats.Signing;
using CommunityGrid.Peering.Transport;

namespace CommunityGrid.Ingest.Load;

/// <summary>
/// One run's community on disk: a genesis file naming <c>gateways</c> validators on free loopback ports, their key
/// files, one house per meter, and everything signed ahead of the clock: the installer's enrolments and every meter's
/// readings.
/// </summary>
/// <remarks>
/// How a meter sends many readings under the gateway's real clock: as a meter coming back from an outage does. Its
/// readings name the last <see cref="BacklogIntervals"/> intervals in order, several per interval when it has more
/// readings than that (a reading's interval may repeat, never go back: IntervalOutOfOrder), registers rising a little
/// each time. All of them are inside the chain's one-day retention window (StaleInterval) and none is in the future
/// (FutureInterval), so every one is committed; the genesis starts a little before the oldest of them. No virtual
/// clock is needed, and block time stays the gateway's own clock (docs/chain.md §4).
/// </remarks>
public sealed class LoadCommunity : IDisposable
{
    public const string ChainId = "ingest-load";
    public const int IntervalSeconds = 900;
    public const int BacklogIntervals = 80;
    private readonly KeyFile installer = KeyFile.Generate();

    public LoadCommunity(int gateways, int meters, int readingsPerMeter)
    {
        Directory = System.IO.Directory.CreateTempSubdirectory("cgrid-ingest-load-").FullName;
        for (int g = 0; g < gateways; g++)
        {
            KeyFile key = KeyFile.Generate();
            GatewayKeys.Add(key);
            key.WriteNew(KeyPath(g));
            System.IO.Directory.CreateDirectory(DataDirectory(g));
        }
        for (int m = 0; m < meters; m++) MeterSeeds.Add(KeyFile.Generate());
        long nowInterval = DateTimeOffset.UtcNow.ToUnixTimeSeconds() / IntervalSeconds * IntervalSeconds;
        FirstIntervalStart = nowInterval - BacklogIntervals * IntervalSeconds;
        var genesis = new GenesisDocument
        {
            ChainId = ChainId,
            Name = "Ingest load",
            Currency = "EUR",
            MinorUnitDigits = 2,
            IntervalSeconds = IntervalSeconds,
            RetailPrice = 30,
            FeedInPrice = 8,
            Members = Enumerable.Range(0, meters).Select(m => new GenesisMember(HouseId(m), KeyFile.Generate().PublicKeyHex)).ToList(),
            InstallerKeys = [installer.PublicKeyHex],
            TreasurerKeys = [KeyFile.Generate().PublicKeyHex],
            Validators = GatewayKeys.Select(k => new GenesisValidator(k.PublicKeyHex, $"127.0.0.1:{LoopbackPorts.Reserve()}")).ToList(),
            GenesisTimeMs = (FirstIntervalStart - 2 * IntervalSeconds) * 1000,
        };
        GenesisFile.Write(GenesisPath, genesis);
        using Ed25519Signer installerKey = installer.CreateSigner();
        Enrolments = Enumerable.Range(0, meters).Select(m => CoseSign1Codec.Sign(
            new EnrolMeterPayload(ChainId, m + 1, MeterId(m), MeterSeeds[m].PublicKey, HouseId(m), MeterRole.ConnectionPoint, 0, 0, 0).Encode(),
            TxContentTypes.EnrolMeter, installerKey)).ToList();
        Readings = Enumerable.Range(0, meters).Select(m => SignReadings(m, readingsPerMeter)).ToArray();
    }

    public string Directory { get; }

    public string GenesisPath => Path.Combine(Directory, "genesis.json");

    public long FirstIntervalStart { get; }

    public List<KeyFile> GatewayKeys { get; } = [];

    public List<KeyFile> MeterSeeds { get; } = [];

    /// <summary>The installer's enrolment of every meter, nonce 1, 2, …, in meter order.</summary>
    public List<byte[]> Enrolments { get; }

    /// <summary>Each meter's signed readings, sequence 1, 2, … in order.</summary>
    public byte[][][] Readings { get; }

    public int Meters => MeterSeeds.Count;

    public long TotalReadings => Readings.Sum(r => (long)r.Length);

    public string KeyPath(int gateway) => Path.Combine(Directory, $"gateway{gateway}.key");

    public string DataDirectory(int gateway) => Path.Combine(Directory, $"g{gateway}");

    public static string MeterId(int meter) => $"m{meter:00000}";

    private static string HouseId(int meter) => $"h{meter:00000}";

    private byte[][] SignReadings(int meter, int count)
    {
        using Ed25519Signer key = MeterSeeds[meter].CreateSigner();
        var signed = new byte[count][];
        int intervals = Math.Min(count, BacklogIntervals);
        for (int i = 0; i < count; i++)
        {
            long intervalStart = FirstIntervalStart + (long)i * intervals / count * IntervalSeconds;
            var reading = new MeterReading(ChainId, MeterId(meter), i + 1, intervalStart, IntervalSeconds, 10L * (i + 1), 3L * i, 0, "ingest-load");
            signed[i] = SignedReadingCodec.Create(reading, key);
        }
        return signed;
    }

    public void Dispose()
    {
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
