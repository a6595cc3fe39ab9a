using CommunityGrid.Meter.Intervals;
using CommunityGrid.Protocol.Cose;
using CommunityGrid.Protocol.Readings;

namespace CommunityGrid.Meter.Tests.Intervals;

/// <summary>
/// The real COSE signer with a fixed test seed: the recorder reads the newest queued reading back at start, so what
/// it queues must be a COSE_Sign1 message, as on a device.
/// </summary>
internal static class TestSigner
{
    public static IReadingSigner Create()
    {
        byte[] seed = new byte[32];
        for (int i = 0; i < seed.Length; i++) seed[i] = (byte)(i * 7 + 1);
        return new CoseReadingSigner(seed);
    }

    public static MeterReading Open(byte[] cose) => MeterReadingCodec.Decode(CoseSign1.Decode(cose, ContentTypes.Reading).Payload);
}
