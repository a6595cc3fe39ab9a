using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using CommunityGrid.Chain.Genesis;

namespace CommunityGrid.Cli.Commands.Community;

/// <summary>The parameters a genesis file fixes, in words and currency units, so whoever wrote it can check them.</summary>
public static class GenesisSummary
{
    public static IEnumerable<string> Lines(GenesisDocument g)
    {
        decimal scale = (decimal)Math.Pow(10, g.MinorUnitDigits);
        string Price(long minor) => string.Create(CultureInfo.InvariantCulture, $"{minor / scale:0.00##} {g.Currency}/kWh ({minor} minor units)");
        yield return string.Create(CultureInfo.InvariantCulture, $"name {g.Name}; currency {g.Currency} with {g.MinorUnitDigits} minor digits");
        yield return string.Create(CultureInfo.InvariantCulture, $"grid tariffs: retail {Price(g.RetailPrice)}, feed-in {Price(g.FeedInPrice)}");
        yield return string.Create(CultureInfo.InvariantCulture, $"pricing mechanism {g.PricingMechanism}; fund share {g.FundSharePermille} ‰ ({g.FundSharePermille / 10m:0.#} % of the community's export proceeds)");
        yield return string.Create(CultureInfo.InvariantCulture, $"settlement interval {g.IntervalSeconds} s, closed {g.GraceSeconds} s after its end; meter clock tolerance {g.FutureToleranceSeconds} s; readings stale after {g.RetentionSeconds} s");
        yield return string.Create(CultureInfo.InvariantCulture, $"{g.Members.Count} member(s), {g.InstallerKeys.Count} installer key(s), {g.TreasurerKeys.Count} treasurer key(s), validators {string.Join(", ", g.Validators.Select(v => v.Address))}");
        yield return string.Create(CultureInfo.InvariantCulture, $"genesis time {DateTimeOffset.FromUnixTimeMilliseconds(g.GenesisTimeMs):yyyy-MM-ddTHH:mm:ss.fffZ}");
    }
}
