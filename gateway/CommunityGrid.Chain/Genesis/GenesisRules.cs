using System;
using System.Collections.Generic;
using CommunityGrid.Chain.Encoding;
using CommunityGrid.Clearing.Model;

namespace CommunityGrid.Chain.Genesis;

/// <summary>What makes a genesis document valid. All problems are reported at once, each naming its field.</summary>
public static class GenesisRules
{
    public const int KeySize = 32;
    public const int MaxNameLength = 128;
    public const int MaxAddressLength = 256;
    /// <summary>
    /// 10 MW: even at one-day intervals a meter then adds at most 2.4 × 10^8 Wh per interval, far inside what the
    /// clearing engine settles (ClearingLimits.MaxEnergyWh per house and interval).
    /// </summary>
    public const long MaxConnectionPowerW = 10_000_000;

    public static IReadOnlyList<string> FindProblems(GenesisDocument g)
    {
        var problems = new List<string>();
        void Check(bool ok, string problem) { if (!ok) problems.Add(problem); }

        Check(Identifiers.IsChainId(g.ChainId), $"chainId '{g.ChainId}' must be {Identifiers.ChainIdRule}");
        Check(!string.IsNullOrWhiteSpace(g.Name) && g.Name.Length <= MaxNameLength, $"name must be 1..{MaxNameLength} characters");
        Check(g.Currency is { Length: 3 } && IsUpperAscii(g.Currency), $"currency '{g.Currency}' must be three capital letters (ISO 4217 style)");
        Check(g.MinorUnitDigits is >= 0 and <= 4, $"minorUnitDigits must be 0..4, got {g.MinorUnitDigits}");
        Check(g.IntervalSeconds is >= 60 and <= 86400 && 86400 % g.IntervalSeconds == 0,
            $"intervalSeconds must be 60..86400 and divide a day evenly (900 = 15 min), got {g.IntervalSeconds}");
        Check(g.GraceSeconds >= 0 && g.GraceSeconds <= g.IntervalSeconds * 4, $"graceSeconds must be 0..4 intervals, got {g.GraceSeconds}");
        Check(g.FutureToleranceSeconds is >= 0 and <= 3600, $"futureToleranceSeconds must be 0..3600, got {g.FutureToleranceSeconds}");
        Check(g.RetentionSeconds >= g.IntervalSeconds && g.RetentionSeconds <= 30 * 86400,
            $"retentionSeconds must be between one interval and 30 days, got {g.RetentionSeconds}");
        // The clearing engine's own bounds (ClearingLimits): a genesis it cannot settle would halt at the first close.
        Check(g.RetailPrice is >= 0 and <= ClearingLimits.MaxPrice, $"retailPrice must be 0..{ClearingLimits.MaxPrice} minor units per kWh, got {g.RetailPrice}");
        Check(g.FeedInPrice is >= 0 and <= ClearingLimits.MaxPrice, $"feedInPrice must be 0..{ClearingLimits.MaxPrice} minor units per kWh, got {g.FeedInPrice}");
        Check(g.FeedInPrice <= g.RetailPrice, $"feedInPrice {g.FeedInPrice} must not exceed retailPrice {g.RetailPrice}");
        Check(g.MaxConnectionPowerW is >= 1 and <= MaxConnectionPowerW,
            $"maxConnectionPowerW must be 1..{MaxConnectionPowerW} W (default {GenesisDocument.DefaultMaxConnectionPowerW}, a 3-phase 63 A house connection), got {g.MaxConnectionPowerW}");
        Check(!string.IsNullOrEmpty(g.PricingMechanism) && g.PricingMechanism.Length <= 32, "pricingMechanism must be 1..32 characters");
        Check(g.FundSharePermille is >= 0 and <= 1000, $"fundSharePermille must be 0..1000, got {g.FundSharePermille}");
        Check(g.ExitFundSharePermille is >= 0 and <= 1000, $"exitFundSharePermille must be 0..1000, got {g.ExitFundSharePermille}");
        Check(g.GenesisTimeMs >= 0, $"genesisTimeMs must be non-negative, got {g.GenesisTimeMs}");
        if (g.Governance is null) problems.Add("governance must be an object (leave it out for the defaults)");
        else problems.AddRange(g.Governance.FindProblems("governance."));

        var houses = new HashSet<string>(StringComparer.Ordinal);
        var memberKeys = new HashSet<string>(StringComparer.Ordinal);
        foreach (GenesisMember m in g.Members ?? [])
        {
            Check(Identifiers.IsEntityId(m.HouseId), $"members: house id '{m.HouseId}' must be {Identifiers.EntityIdRule}");
            Check(houses.Add(m.HouseId ?? ""), $"members: house id '{m.HouseId}' appears twice");
            CheckKey(problems, $"members[{m.HouseId}].publicKey", m.PublicKey);
            Check(memberKeys.Add(m.PublicKey ?? ""), $"members: public key {m.PublicKey} appears twice; every house has its own key");
        }
        CheckKeyList(problems, "installerKeys", g.InstallerKeys, requireOne: true);
        CheckKeyList(problems, "treasurerKeys", g.TreasurerKeys, requireOne: true);
        var validatorKeys = new List<string>();
        foreach (GenesisValidator v in g.Validators ?? [])
        {
            validatorKeys.Add(v.PublicKey);
            Check(!string.IsNullOrEmpty(v.Address) && v.Address.Length <= MaxAddressLength, $"validators[{v.PublicKey}].address must be 1..{MaxAddressLength} characters (host:port)");
        }
        CheckKeyList(problems, "validators", validatorKeys, requireOne: true);
        CheckMeters(problems, g, houses);
        CheckParent(problems, g);
        return problems;
    }

    private static void CheckMeters(List<string> problems, GenesisDocument g, HashSet<string> houses)
    {
        var ids = new HashSet<string>(StringComparer.Ordinal);
        var keys = new HashSet<string>(StringComparer.Ordinal);
        foreach (GenesisMeter m in g.Meters ?? [])
        {
            string at = $"meters[{m.MeterId}]";
            if (!Identifiers.IsEntityId(m.MeterId)) problems.Add($"{at}: meter id must be {Identifiers.EntityIdRule}");
            if (!ids.Add(m.MeterId ?? "")) problems.Add($"{at}: meter id appears twice");
            CheckKey(problems, at + ".publicKey", m.PublicKey);
            if (!keys.Add(m.PublicKey ?? "")) problems.Add($"{at}: public key {m.PublicKey} appears twice; every meter has its own key");
            if (!houses.Contains(m.HouseId ?? "")) problems.Add($"{at}: house '{m.HouseId}' is not a member");
            if (m.Role is not (1 or 2)) problems.Add($"{at}: role must be 1 (connection point) or 2 (PV), got {m.Role}");
            if (m.ImportWh < 0 || m.ExportWh < 0 || m.PvWh < 0) problems.Add($"{at}: registers must be non-negative");
        }
    }

    private static void CheckParent(List<string> problems, GenesisDocument g)
    {
        if (g.Parent is not { } p) return;
        if (!Identifiers.IsChainId(p.ChainId) || p.ChainId == g.ChainId) problems.Add($"parent.chainId '{p.ChainId}' must be {Identifiers.ChainIdRule} and not this chain's id");
        if (p.Height < 1) problems.Add($"parent.height must be at least 1, got {p.Height}");
        foreach ((string field, string? hash) in new[] { ("parent.headerHash", p.HeaderHash), ("parent.exitsHash", p.ExitsHash) })
        {
            if (hash is not { Length: KeySize * 2 } || !IsLowerHex(hash)) problems.Add($"{field}: '{hash}' must be a SHA-256 hash as 64 lowercase hex digits");
        }
        // The new chain's first settled interval is the exit interval (docs/breakaway.md §4).
        if (g.IntervalSeconds > 0 && (p.ExitIntervalStart % g.IntervalSeconds != 0 || p.ExitIntervalStart * 1000 != g.GenesisTimeMs))
        {
            problems.Add($"parent.exitIntervalStart {p.ExitIntervalStart} must be an interval boundary and genesisTimeMs its start ({p.ExitIntervalStart * 1000}), got {g.GenesisTimeMs}");
        }
    }

    public static byte[] ParseKey(string hex)
    {
        byte[] key = Convert.FromHexString(hex);
        if (key.Length != KeySize) throw new FormatException($"a public key is {KeySize} bytes ({KeySize * 2} hex digits), got {key.Length}");
        return key;
    }

    private static void CheckKeyList(List<string> problems, string field, IReadOnlyList<string>? keys, bool requireOne)
    {
        if (requireOne && (keys is null || keys.Count == 0)) problems.Add($"{field}: at least one key is required");
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (string key in keys ?? [])
        {
            CheckKey(problems, field, key);
            if (!seen.Add(key ?? "")) problems.Add($"{field}: key {key} appears twice");
        }
    }

    private static void CheckKey(List<string> problems, string field, string? hex)
    {
        bool ok = hex is { Length: KeySize * 2 } && IsLowerHex(hex);
        if (!ok) problems.Add($"{field}: '{hex}' must be a 32-byte Ed25519 public key as 64 lowercase hex digits");
    }

    private static bool IsLowerHex(string s)
    {
        foreach (char c in s) if (!(c is >= '0' and <= '9' or >= 'a' and <= 'f')) return false;
        return true;
    }

    private static bool IsUpperAscii(string s)
    {
        foreach (char c in s) if (c is < 'A' or > 'Z') return false;
        return true;
    }
}
