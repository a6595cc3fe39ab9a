namespace CommunityGrid.Meter.Configuration
{
    /// <summary>What measures a channel; the names in the file are the lower-case member names.</summary>
    public enum ChannelSource
    {
        None = 0,
        Ina219 = 1,
        Ina226 = 2,
        Sdm120 = 3,
        Sdm630 = 4,
    }
}
