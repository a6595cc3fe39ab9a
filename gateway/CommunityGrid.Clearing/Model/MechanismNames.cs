using System;
using System.Collections.Generic;

namespace CommunityGrid.Clearing.Model;

/// <summary>The short names used on the command line, in JSON and in chain parameters.</summary>
public static class MechanismNames
{
    private static readonly (string Name, ClearingMechanism Mechanism)[] Table =
    [
        ("sdr", ClearingMechanism.SupplyDemandRatio),
        ("mmr", ClearingMechanism.MidMarketRate),
        ("bs", ClearingMechanism.BillSharing),
        ("auction", ClearingMechanism.DoubleAuction),
    ];

    public static IReadOnlyList<string> All => Array.ConvertAll(Table, entry => entry.Name);

    /// <summary>Exact, case-sensitive match, so one spelling means one thing everywhere.</summary>
    public static bool TryParse(string? name, out ClearingMechanism mechanism)
    {
        foreach (var entry in Table)
        {
            if (string.Equals(entry.Name, name, StringComparison.Ordinal))
            {
                mechanism = entry.Mechanism;
                return true;
            }
        }

        mechanism = default;
        return false;
    }

    public static string NameOf(ClearingMechanism mechanism)
    {
        foreach (var entry in Table)
        {
            if (entry.Mechanism == mechanism)
            {
                return entry.Name;
            }
        }

        throw new ArgumentOutOfRangeException(nameof(mechanism), mechanism, "Unknown clearing mechanism.");
    }
}
