using System;
using CommunityGrid.Meter.Intervals;
using CommunityGrid.Protocol.Readings;

namespace CommunityGrid.Meter.Tests.Intervals;

/// <summary>"Signs" by returning the canonical CBOR, so tests can decode what was queued without keys.</summary>
internal sealed class FakeSigner : IReadingSigner
{
    public int Calls { get; private set; }

    public byte[] Sign(MeterReading reading)
    {
        Calls++;
        return MeterReadingCodec.Encode(reading);
    }
}
