using System.Collections.Generic;
using System.Text.Json.Serialization;

namespace CommunityGrid.Simulation.Report;

/// <summary>Everything the report shows, read from the chain. Energy in Wh, money in minor units, prices in minor units per kWh.</summary>
/// <param name="Days">Totals per local calendar day (the first and last day of a run are partial: the run starts at midnight UTC).</param>
/// <param name="Mechanisms">Every mechanism (and grid-only) settled on the chain's recorded energies, the chain's own first.</param>
public sealed record ReportData(
    ReportCommunity Community, ReportSummary Summary, IReadOnlyList<IntervalRow> Intervals, IReadOnlyList<HouseRow> Houses,
    IReadOnlyList<DayRow> Days, IReadOnlyList<MechanismOutcome> Mechanisms)
{
    /// <summary>
    /// What report.json's reader (<see cref="ReportJsonContext"/>) constructs with: a file without "decisions" (written
    /// before they were reported) reads as none, because System.Text.Json's source generator would set an omitted
    /// init-only property to null (dotnet/runtime#84484) where a constructor parameter takes its default.
    /// </summary>
    [JsonConstructor]
    public ReportData(
        ReportCommunity community, ReportSummary summary, IReadOnlyList<IntervalRow> intervals, IReadOnlyList<HouseRow> houses,
        IReadOnlyList<DayRow> days, IReadOnlyList<MechanismOutcome> mechanisms, IReadOnlyList<DecisionRow>? decisions,
        GatewaysReport? gateways)
        : this(community, summary, intervals, houses, days, mechanisms)
    {
        Decisions = decisions ?? [];
        Gateways = gateways;
    }

    /// <summary>The community's proposals with their votes, statements and effects (docs/governance.md).</summary>
    public IReadOnlyList<DecisionRow> Decisions { get; init; } = [];

    /// <summary>Several gateways: proposers, rounds per height and each store's verification (<see cref="GatewaySection"/>); null with one gateway.</summary>
    public GatewaysReport? Gateways { get; init; }
}

/// <param name="TimeZone">How local times are shown, e.g. "UTC+02:00" (the site's standard offset and EU summer time).</param>
public sealed record ReportCommunity(
    string ChainId, string Name, string Mechanism, string Currency, int MinorUnitDigits, long RetailPrice, long FeedInPrice,
    int FundSharePermille, int Houses, int PvHouses, long FirstIntervalStart, long EndExclusive, string TipHash, string StateRoot,
    string TimeZone);

/// <param name="SelfSufficiencyPercent">Share of the community's consumption not imported from the grid: (C − I) / C.</param>
/// <param name="SelfConsumptionPercent">Share of the community's PV production used inside the community: (P − E) / P.</param>
/// <param name="GridAloneBills">Σ over houses of the grid-alone bill (<see cref="HouseRow.GridAloneBill"/>).</param>
/// <param name="TotalSavings">Σ over houses of (grid-alone bill − community bill).</param>
/// <param name="Pv">Houses with PV: how many gained, paid more, and their savings together.</param>
/// <param name="NonPv">Houses without PV, likewise.</param>
public sealed record ReportSummary(
    long ProductionWh, long ConsumptionWh, long GridImportWh, long GridExportWh, long InternalWh,
    double SelfSufficiencyPercent, double SelfConsumptionPercent,
    long CommunityBills, long GridAloneBills, long TotalSavings, long FundIncome, long FundBalance,
    long Readings, long Blocks, long SettledIntervals, GroupOutcome Pv, GroupOutcome NonPv);

/// <summary>How a group of houses fared against the grid alone.</summary>
/// <param name="Gained">Houses whose savings are positive.</param>
/// <param name="PaidMore">Houses whose savings are negative: the community cost them more than the grid alone.</param>
/// <param name="Savings">The group's savings together (minor units); <see cref="LargestGain"/> and <see cref="LargestLoss"/> the extremes (a loss is negative).</param>
public sealed record GroupOutcome(int Houses, int Gained, int PaidMore, long Savings, long LargestGain, long LargestLoss)
{
    public int Unchanged => Houses - Gained - PaidMore;
}

/// <param name="InternalPrice">Minor units per kWh from the settlement's recorded price (millionths), null when none.</param>
/// <param name="FundBalance">The fund after this interval's settlement.</param>
/// <param name="UtcOffsetMinutes">The site's offset from UTC at the interval's start (local time = Start + offset).</param>
public sealed record IntervalRow(
    long Start, long ProductionWh, long ConsumptionWh, long HouseImportWh, long HouseExportWh,
    long GridImportWh, long GridExportWh, long InternalWh, double? InternalPrice,
    long HousesPaid, long HousesReceived, long FundIncome, long FundBalance, int UtcOffsetMinutes);

/// <param name="CommunityBill">Σ(cost − revenue) under the community's mechanism: positive = the house paid.</param>
/// <param name="GridAloneBill">
/// The same energies billed by the grid alone the way a utility bills: the period's import and export each priced at
/// the exact tariff and rounded half up to the minor unit once (<see cref="UtilityBill"/>).
/// </param>
/// <param name="Balance">The house's balance in the chain's state at the tip.</param>
public sealed record HouseRow(
    string HouseId, bool HasPv, long ProductionWh, long ImportWh, long ExportWh, long ConsumptionWh,
    long CommunityBill, long GridAloneBill, long Savings, long Balance);

/// <summary>One local calendar day's totals.</summary>
/// <param name="Date">Local date, yyyy-MM-dd.</param>
/// <param name="Intervals">Settled intervals that start on that day (96 for a whole day of 15-minute intervals).</param>
/// <param name="HousesNet">What the houses paid net under the community's mechanism (Σ cost − revenue).</param>
public sealed record DayRow(
    string Date, int Intervals, long ProductionWh, long ConsumptionWh, long GridImportWh, long GridExportWh, long InternalWh,
    double SelfSufficiencyPercent, long HousesNet, long FundIncome);

/// <summary>One mechanism settled on the chain's recorded energies, interval by interval, with the chain's tariffs and fund share.</summary>
/// <param name="IsChains">The mechanism the chain itself settled with.</param>
/// <param name="ReproducesChain">For the chain's own mechanism: settling again gave exactly the recorded settlements.</param>
public sealed record MechanismOutcome(
    string Mechanism, bool IsChains, bool ReproducesChain, long CommunityBills, long Savings, GroupOutcome Pv, GroupOutcome NonPv,
    long FundIncome, long InternalWh, long GridImportWh, long GridExportWh);
