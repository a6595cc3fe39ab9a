using CommunityGrid.Meter.Energy;
using CommunityGrid.Meter.Intervals;
using CommunityGrid.Meter.Linux.Config;
using CommunityGrid.Meter.Linux.Display;
using CommunityGrid.Meter.Linux.HomeAssistant;
using CommunityGrid.Meter.Linux.Mqtt;
using CommunityGrid.Meter.Linux.Sensors;
using CommunityGrid.Meter.Linux.Timing;
using CommunityGrid.Meter.Messaging;
using CommunityGrid.Meter.Queue;
using CommunityGrid.Meter.Storage;

namespace CommunityGrid.Meter.Linux.Runtime
{
    /// <summary>Everything the meter loop works with, wired up by <see cref="MeterAssembly"/>.</summary>
    public sealed record MeterParts(
        MeterSettings Settings,
        IMeterClock Clock,
        IEnergySource Source,
        ReadingQueue Queue,
        IntervalRecorder Recorder,
        EnergyCheckpoint Registers,
        MqttLink Link,
        TrustedSigners GatewayKeys,
        LcdOutput? Lcd,
        IFileStore Files,
        HomeAssistantPublisher? HomeAssistant = null,
        byte[]? MeterPublicKey = null,
        MoveHandler? Move = null);
}
