using System;
using CommunityGrid.Simulation.Profiles;

namespace CommunityGrid.Simulation.Community;

/// <summary>What the community looks like: size, PV share, seed, tariffs and the pricing mechanism its genesis names.</summary>
public sealed record CommunityOptions
{
    public int Houses { get; init; } = 100;
    public double PvShare { get; init; } = 0.8;
    public long Seed { get; init; } = 42;
    /// <summary>A chain pricing mechanism: grid-only, sdr, mmr, bs or auction.</summary>
    public string Mechanism { get; init; } = "sdr";
    public string ChainId { get; init; } = "sim-community";
    public string Currency { get; init; } = "EUR";
    public int MinorUnitDigits { get; init; } = 2;
    /// <summary>Minor units per kWh: 30 ct retail and 8 ct feed-in, close to Dutch/German household tariffs in 2025.</summary>
    public long RetailPrice { get; init; } = 30;
    public long FeedInPrice { get; init; } = 8;
    /// <summary>Share of the community's export proceeds for the fund, permille.</summary>
    public int FundSharePermille { get; init; } = 100;
    public Site Site { get; init; } = Site.Default;

    public void Validate()
    {
        // Plain ArgumentException: its message is shown to the user as it is (no parameter name or .NET wording).
        if (Houses is < 1 or > 999) throw new ArgumentException($"--houses must be a number of houses from 1 to 999 (ids h001..h999), not {Houses}");
        if (PvShare is < 0 or > 1 || double.IsNaN(PvShare)) throw new ArgumentException($"--pv-share must be a share between 0 and 1 (0.8 = 80 % of the houses), not {PvShare.ToString(System.Globalization.CultureInfo.InvariantCulture)}");
    }
}
