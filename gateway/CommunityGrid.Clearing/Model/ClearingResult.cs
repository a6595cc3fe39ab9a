using System.Collections.Generic;
using CommunityGrid.Clearing.Arithmetic;

namespace CommunityGrid.Clearing.Model;

/// <summary>One interval's settlement.</summary>
/// <param name="InternalPrice">p_int, minor units per kWh, exact; null when an auction matched nothing.</param>
/// <param name="AverageBuyPrice">P_b = (p_int·Q + λ_b·(D − Q)) / D, what buyers pay per kWh on average; null without buyers.</param>
/// <param name="AverageSellPrice">P_s = (p_int·Q + λ_s·(G − Q)) / G, what sellers earn per kWh on average before the fund's share; null without sellers.</param>
/// <param name="Houses">Every input house, sorted by id (ordinal).</param>
public sealed record ClearingResult(
    ClearingMechanism Mechanism,
    Ratio? InternalPrice,
    Ratio? AverageBuyPrice,
    Ratio? AverageSellPrice,
    IReadOnlyList<HouseSettlement> Houses,
    CommunitySettlement Community);

/// <summary>One house's energy split and money. A house is a buyer or a seller, never both.</summary>
/// <param name="Cost">What the house pays, minor units, ≥ 0.</param>
/// <param name="Revenue">What the house receives, minor units, ≥ 0 (after the fund's share of its export).</param>
public sealed record HouseSettlement(
    string Id,
    long ImportInternalWh,
    long ExportInternalWh,
    long ImportGridWh,
    long ExportGridWh,
    long Cost,
    long Revenue)
{
    public long Net => Revenue - Cost;
}

/// <summary>
/// The community's totals. ImportGridWh / ExportGridWh are the net flow at the community's grid
/// connection (max(D − G, 0), max(G − D, 0)); for SDR, MMR and BS they equal the houses' grid volumes,
/// in an auction they can be smaller (unmatched buyers and sellers net out physically).
/// </summary>
/// <param name="InternalWh">Q: energy traded between houses at the internal price.</param>
/// <param name="GridCost">⌈λ_b·ImportGridWh / 1000⌉: the grid's bill, rounded in the grid's favour.</param>
/// <param name="GridRevenue">⌊λ_s·ExportGridWh / 1000⌋: the grid's payment, rounded in the grid's favour.</param>
/// <param name="FundIncome">
/// What stays in the pool: the fund's share of the sellers' export proceeds, plus in an auction the
/// retail/feed-in spread on netted unmatched energy, plus the pool's rounding (less than two minor units
/// either way). Houses' payments + GridRevenue = houses' receipts + GridCost + FundIncome, exactly.
/// </param>
public sealed record CommunitySettlement(
    long InternalWh,
    long ImportGridWh,
    long ExportGridWh,
    long GridCost,
    long GridRevenue,
    long FundIncome);
