namespace CommunityGrid.Meter.Linux.Tests.Mqtt;

/// <summary>
/// The tests that run cgrid-meter against Mosquitto run one at a time: each is timing-driven (virtual time at 60–1200×
/// real), and on a busy two-core machine parallel meters would starve each other's clocks into skipped intervals.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class MosquittoCollection
{
    public const string Name = "mosquitto";
}
