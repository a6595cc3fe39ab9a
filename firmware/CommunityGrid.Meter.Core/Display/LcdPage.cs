namespace CommunityGrid.Meter.Display
{
    /// <summary>The pages the meter's character LCD cycles through.</summary>
    public enum LcdPage
    {
        PvPower = 0,
        GridPower = 1,
        Today = 2,
        Price = 3,
        Balance = 4,
        LastReading = 5,
        Connectivity = 6,
    }
}
