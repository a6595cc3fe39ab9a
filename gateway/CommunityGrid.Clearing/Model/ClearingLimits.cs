namespace CommunityGrid.Clearing.Model;

/// <summary>
/// Input bounds the engine accepts. They keep every settled amount inside a long
/// (10^5 houses × 10^10 Wh × 10^6 per kWh / 1000 = 10^18 &lt; 9.2 × 10^18); intermediate products are
/// computed in BigInteger, so only the edges need the bound.
/// </summary>
public static class ClearingLimits
{
    public const int MaxHouses = 100_000;
    public const long MaxEnergyWh = 10_000_000_000;
    public const long MaxPrice = 1_000_000;
    public const int MaxIdLength = 128;
    public const int PermilleScale = 1000;
}
