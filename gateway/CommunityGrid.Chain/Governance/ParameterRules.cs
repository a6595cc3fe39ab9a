using System.Collections.Generic;
using System.Formats.Cbor;
using CommunityGrid.Chain.Encoding;
using CommunityGrid.Chain.Genesis;
using CommunityGrid.Clearing.Model;
using CommunityGrid.Chain.Intervals;
using CommunityGrid.Chain.State;

namespace CommunityGrid.Chain.Governance;

/// <summary>
/// Applies a parameter-change proposal to the parameters map and checks the result. The change works on the
/// map's entries, so every key the map has (also ones added later) can be changed by a vote, except the three
/// that meters, readings and balances are built on.
/// </summary>
public static class ParameterRules
{
    /// <summary>Currency, minor-unit digits and interval length: changing them would re-denominate balances or break meters.</summary>
    public const int LastFixedKey = 3;

    /// <summary>The parameters after the change, or null with <paramref name="problem"/> saying why it cannot apply.</summary>
    public static ChainParameters? Apply(byte[] currentEncoded, ParameterChangeEffect change, SettlementCatalog catalog, out string? problem)
    {
        problem = null;
        var entries = new SortedDictionary<int, byte[]>();
        Cbor.Decode("parameters", currentEncoded, r =>
        {
            int pairs = r.ReadStartMap() ?? 0;
            for (int i = 0; i < pairs; i++) entries[(int)r.ReadUInt64()] = r.ReadEncodedValue().ToArray();
            r.ReadEndMap();
            return pairs;
        });
        foreach (ParameterValue value in change.Changes)
        {
            if (value.Key <= LastFixedKey)
            {
                problem = $"parameter {value.Key} (currency, minor-unit digits, interval length) cannot be changed by a vote";
                return null;
            }
            if (!entries.ContainsKey(value.Key))
            {
                problem = $"the parameters map has no key {value.Key}";
                return null;
            }
            entries[value.Key] = value.EncodedValue;
        }
        CborWriter w = Cbor.Writer();
        w.WriteStartMap(entries.Count);
        foreach ((int key, byte[] value) in entries)
        {
            w.WriteInt32(key);
            w.WriteEncodedValue(value);
        }
        w.WriteEndMap();
        ChainParameters changed;
        try
        {
            changed = Cbor.Decode("parameters", w.Encode(), ChainParameters.Read);
        }
        catch (ChainFormatException e)
        {
            problem = "a new value has the wrong type: " + e.Message;
            return null;
        }
        IReadOnlyList<string> problems = FindProblems(changed, catalog);
        if (problems.Count > 0)
        {
            problem = string.Join("; ", problems);
            return null;
        }
        return changed;
    }

    /// <summary>The value rules of the changeable parameters (the same bounds as genesis, docs/chain.md §1).</summary>
    public static IReadOnlyList<string> FindProblems(ChainParameters p, SettlementCatalog catalog)
    {
        var problems = new List<string>();
        void Check(bool ok, string problem) { if (!ok) problems.Add(problem); }
        Check(p.GraceSeconds >= 0 && p.GraceSeconds <= p.IntervalSeconds * 4, $"graceSeconds (4) must be 0..4 intervals, got {p.GraceSeconds}");
        Check(p.FutureToleranceSeconds is >= 0 and <= 3600, $"futureToleranceSeconds (5) must be 0..3600, got {p.FutureToleranceSeconds}");
        Check(p.RetentionSeconds >= p.IntervalSeconds && p.RetentionSeconds <= 30 * 86400,
            $"retentionSeconds (6) must be between one interval and 30 days, got {p.RetentionSeconds}");
        // The same bounds as genesis (GenesisRules): settlement must be able to take every value a vote can set, or
        // one passed proposal would stop every later interval close (issue 11, case 1).
        Check(p.RetailPrice is >= 0 and <= ClearingLimits.MaxPrice, $"retailPrice (7) must be 0..{ClearingLimits.MaxPrice}, got {p.RetailPrice}");
        Check(p.FeedInPrice is >= 0 and <= ClearingLimits.MaxPrice, $"feedInPrice (8) must be 0..{ClearingLimits.MaxPrice}, got {p.FeedInPrice}");
        Check(p.FeedInPrice <= p.RetailPrice, $"feedInPrice (8) {p.FeedInPrice} must not exceed retailPrice (7) {p.RetailPrice}");
        Check(p.MaxConnectionPowerW is >= 1 and <= GenesisRules.MaxConnectionPowerW,
            $"maxConnectionPowerW (11) must be 1..{GenesisRules.MaxConnectionPowerW} W, got {p.MaxConnectionPowerW}");
        Check(catalog.Find(p.PricingMechanism) is not null, $"pricingMechanism (9) '{p.PricingMechanism}' has no settlement implementation");
        Check(p.FundSharePermille is >= 0 and <= 1000, $"fundSharePermille (10) must be 0..1000, got {p.FundSharePermille}");
        Check(p.ExitFundSharePermille is >= 0 and <= 1000, $"exitFundSharePermille (30) must be 0..1000, got {p.ExitFundSharePermille}");
        problems.AddRange(p.Governance.FindProblems(""));
        return problems;
    }

    /// <summary>The encoded value of one parameter, for building a change (text for the mechanism, integers otherwise).</summary>
    public static byte[] EncodeValue(object value)
    {
        CborWriter w = Cbor.Writer();
        switch (value)
        {
            case string text: w.WriteTextString(text); break;
            case int number: w.WriteInt64(number); break;
            case long number: w.WriteInt64(number); break;
            default: throw new System.ArgumentException($"parameter values are text or integers, not {value.GetType().Name}", nameof(value));
        }
        return w.Encode();
    }
}
