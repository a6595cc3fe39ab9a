using System;
using CommunityGrid.Meter.Messaging;

namespace CommunityGrid.Meter.Linux.Mqtt
{
    /// <summary>
    /// The Linux runtime's reconnect preset of the core's <see cref="ReconnectBackoff"/> (the same doubling and equal
    /// jitter as the ESP32): 500 ms first, the configured <c>broker.reconnectMaxSeconds</c> as cap. Only the preset
    /// lives here, so the two runtimes cannot drift apart.
    /// </summary>
    public sealed class Backoff : ReconnectBackoff
    {
        public const int InitialMs = 500;

        public Backoff(int capMs, Random random) : base(InitialMs, capMs, random)
        {
        }
    }
}
