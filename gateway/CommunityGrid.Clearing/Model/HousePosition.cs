namespace CommunityGrid.Clearing.Model;

/// <summary>
/// One house's metered energy over one settlement interval at its connection point.
/// Only <see cref="NetWh"/> (export − import) is settled; the two registers are kept apart because
/// that is what the meter reports.
/// </summary>
/// <param name="Id">Unique house id; ordinal order is the engine's deterministic order and tie-break.</param>
/// <param name="ExportWh">Energy delivered into the community connection, Wh, ≥ 0.</param>
/// <param name="ImportWh">Energy drawn from the community connection, Wh, ≥ 0.</param>
/// <param name="LimitPrice">
/// Auction only: a short house's highest bid, a long house's lowest offer, minor units per kWh.
/// Null makes the house a price-taker (bid = retail, offer = feed-in). Ignored by the other mechanisms.
/// </param>
public sealed record HousePosition(string Id, long ExportWh, long ImportWh, long? LimitPrice = null)
{
    public long NetWh => ExportWh - ImportWh;
}
