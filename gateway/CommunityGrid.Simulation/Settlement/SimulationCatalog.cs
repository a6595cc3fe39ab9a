using System.Collections.Generic;
using System.Diagnostics;
using CommunityGrid.Chain.Intervals;
using CommunityGrid.Clearing.Model;

namespace CommunityGrid.Simulation.Settlement;

/// <summary>
/// The chain's own settlements (grid-only and the clearing engine's sdr, mmr, bs, auction), optionally wrapped so
/// the time spent clearing can be reported apart from the rest of the gateway's work.
/// </summary>
public static class SimulationCatalog
{
    public static IReadOnlyList<string> Mechanisms { get; } = [Chain.Genesis.GenesisDocument.GridOnlyMechanism, .. MechanismNames.All];

    public static SettlementCatalog Create(Stopwatch? clearingTime = null)
    {
        if (clearingTime is null) return SettlementCatalog.Default;
        var timed = new List<IIntervalSettlement> { new TimedSettlement(new GridOnlySettlement(), clearingTime) };
        foreach (IIntervalSettlement s in ClearingSettlement.ForEveryMechanism()) timed.Add(new TimedSettlement(s, clearingTime));
        return new SettlementCatalog([.. timed]);
    }

    public static bool IsKnown(string mechanism) => SettlementCatalog.Default.Find(mechanism) is not null;

    private sealed class TimedSettlement(IIntervalSettlement inner, Stopwatch clock) : IIntervalSettlement
    {
        public string Mechanism => inner.Mechanism;

        public SettlementResult Settle(SettlementInput input)
        {
            clock.Start();
            try
            {
                return inner.Settle(input);
            }
            finally
            {
                clock.Stop();
            }
        }
    }
}
