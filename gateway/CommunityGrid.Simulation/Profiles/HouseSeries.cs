namespace CommunityGrid.Simulation.Profiles;

/// <summary>
/// One house's energy per settlement interval, integer Wh, as its meters will count it: PV generation, household
/// load, and the import/export at the connection point (netted every 5 minutes, as a real meter nets within its
/// sampling, not over the whole interval). Load = PV + import − export up to ±1 Wh of register rounding.
/// </summary>
public sealed record HouseSeries(string HouseId, long[] PvWh, long[] LoadWh, long[] ImportWh, long[] ExportWh)
{
    public int Intervals => PvWh.Length;
}
