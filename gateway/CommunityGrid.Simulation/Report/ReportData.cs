using System.Collections.Generic;

namespace CommunityGrid.Simulation.Report;

/// <summary>Everything the report shows, read from the chain. Energy in Wh, money in minor units, prices in minor units per kWh.</summary>
public sealed record ReportData(ReportCommunity Community, ReportSummary Summary, IReadOnlyList<IntervalRow> Intervals, IReadOnlyList<HouseRow> Houses)
{
    /// <summary>The community's proposals with their votes, statements and effects (docs/governance.md).</summary>
    public IReadOnlyList<DecisionRow> Decisions { get; init; } = [];
}

public sealed record ReportCommunity(
    string ChainId, string Name, string Mechanism, string Currency, int MinorUnitDigits, long RetailPrice, long FeedInPrice,
    int FundSharePermille, int Houses, int PvHouses, long FirstIntervalStart, long EndExclusive, string TipHash, string StateRoot);

/// <param name="SelfSufficiencyPercent">Share of the community's consumption not imported from the grid: (C − I) / C.</param>
/// <param name="SelfConsumptionPercent">Share of the community's PV production used inside the community: (P − E) / P.</param>
/// <param name="TotalSavings">Σ over houses of (grid-alone bill − community bill).</param>
public sealed record ReportSummary(
    long ProductionWh, long ConsumptionWh, long GridImportWh, long GridExportWh, long InternalWh,
    double SelfSufficiencyPercent, double SelfConsumptionPercent,
    long CommunityBills, long GridAloneBills, long TotalSavings, long FundIncome, long FundBalance,
    long Readings, long Blocks, long SettledIntervals);

/// <param name="InternalPrice">Minor units per kWh from the settlement's recorded price (millionths), null when none.</param>
/// <param name="FundBalance">The fund after this interval's settlement.</param>
public sealed record IntervalRow(
    long Start, long ProductionWh, long ConsumptionWh, long HouseImportWh, long HouseExportWh,
    long GridImportWh, long GridExportWh, long InternalWh, double? InternalPrice,
    long HousesPaid, long HousesReceived, long FundIncome, long FundBalance);

/// <param name="CommunityBill">Σ(cost − revenue) under the community's mechanism: positive = the house paid.</param>
/// <param name="GridAloneBill">The same energies settled with the grid alone: Σ per interval ⌈retail·import/1000⌉ − ⌊feedIn·export/1000⌋.</param>
/// <param name="Balance">The house's balance in the chain's state at the tip.</param>
public sealed record HouseRow(
    string HouseId, bool HasPv, long ProductionWh, long ImportWh, long ExportWh, long ConsumptionWh,
    long CommunityBill, long GridAloneBill, long Savings, long Balance);
