namespace CommunityGrid.Meter.Linux.Config
{
    public enum SensorKind
    {
        Simulated,
        Ina219,
        Ina226,
        Sdm120,
        Sdm630,
    }
}
