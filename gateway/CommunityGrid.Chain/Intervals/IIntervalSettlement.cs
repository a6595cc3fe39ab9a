using System.Collections.Generic;
using CommunityGrid.Chain.State;

namespace CommunityGrid.Chain.Intervals;

/// <summary>
/// Turns one closed interval's energy into money. Must be a pure function of its input (integers only, no
/// clock, no hash-map order): every gateway runs it during the state transition and must get the same bytes.
/// </summary>
public interface IIntervalSettlement
{
    /// <summary>The <see cref="ChainParameters.PricingMechanism"/> name this implementation answers to.</summary>
    string Mechanism { get; }

    SettlementResult Settle(SettlementInput input);
}

/// <param name="Houses">Houses with a connection-point reading in the interval, sorted by house id (ordinal).</param>
public sealed record SettlementInput(long IntervalStart, int IntervalSeconds, ChainParameters Parameters, IReadOnlyList<HouseEnergy> Houses);

/// <summary>One house's connection-point energy in one interval, Wh.</summary>
public sealed record HouseEnergy(string HouseId, long ImportWh, long ExportWh);

/// <summary>Chooses the settlement for a pricing mechanism name; the clearing engine registers its mechanisms here.</summary>
public sealed class SettlementCatalog
{
    private readonly SortedDictionary<string, IIntervalSettlement> mechanisms = new(System.StringComparer.Ordinal);

    public SettlementCatalog(params IIntervalSettlement[] settlements)
    {
        foreach (IIntervalSettlement settlement in settlements) mechanisms[settlement.Mechanism] = settlement;
    }

    /// <summary>Grid-only settlement and every clearing-engine mechanism (sdr, mmr, bs, auction).</summary>
    public static SettlementCatalog Default { get; } = new(
        [new GridOnlySettlement(), .. ClearingSettlement.ForEveryMechanism()]);

    public IIntervalSettlement? Find(string mechanism) => mechanisms.TryGetValue(mechanism, out IIntervalSettlement? s) ? s : null;
}
