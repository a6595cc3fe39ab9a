using CommunityGrid.Protocol.Readings;

namespace CommunityGrid.Meter.Intervals
{
    /// <summary>Turns a reading into the bytes that travel to the gateway (COSE_Sign1 with the device's Ed25519 key).</summary>
    public interface IReadingSigner
    {
        byte[] Sign(MeterReading reading);
    }
}
