using System;
using System.Collections.Generic;
using System.Formats.Cbor;
using System.Linq;
using CommunityGrid.Chain.Blocks;
using CommunityGrid.Chain.Encoding;
using CommunityGrid.Chain.Genesis;
using CommunityGrid.Chain.State;

namespace CommunityGrid.Chain.Breakaway;

/// <summary>The final exit records of the houses leaving for one new community, sorted by house id.</summary>
public sealed record ExitGroup(string NewChainId, long ExitIntervalStart, IReadOnlyList<(string HouseId, ExitRecord Record)> Exits)
{
    /// <summary>SHA-256 of <c>[[houseId, exit record] ...]</c> sorted by house id: what the new genesis names (docs/breakaway.md §4).</summary>
    public byte[] Hash()
    {
        CborWriter w = Cbor.Writer();
        w.WriteStartArray(Exits.Count);
        foreach ((string house, ExitRecord record) in Exits)
        {
            w.WriteStartArray(2);
            w.WriteTextString(house);
            w.WriteEncodedValue(record.Encode());
            w.WriteEndArray();
        }
        w.WriteEndArray();
        return Hashes.Sha256(w.Encode());
    }

    /// <summary>The final exits to <paramref name="newChainId"/> in a state; null with <paramref name="problem"/> when there are none or they differ in interval.</summary>
    public static ExitGroup? Find(IStateReader state, string newChainId, out string? problem)
    {
        problem = null;
        var exits = new List<(string, ExitRecord)>();
        long? interval = null;
        var view = new StateView(new StateOverlay(state));
        foreach (KeyValuePair<string, byte[]> entry in view.WithPrefix(ExitKeys.ExitPrefix))
        {
            ExitRecord record = ExitRecord.Decode(entry.Value);
            if (record.NewChainId != newChainId) continue;
            string house = entry.Key[ExitKeys.ExitPrefix.Length..];
            if (record.Status != ExitStatus.Final)
            {
                problem = $"the exit of '{house}' to '{newChainId}' is not final yet: it becomes final when the interval before {record.ExitIntervalStart} closes";
                return null;
            }
            if (interval is { } i && i != record.ExitIntervalStart)
            {
                problem = $"houses leave for '{newChainId}' from different intervals ({i} and {record.ExitIntervalStart}); one new chain starts from one exit interval";
                return null;
            }
            interval = record.ExitIntervalStart;
            exits.Add((house, record));
        }
        if (interval is null)
        {
            problem = $"no house has signed an exit to '{newChainId}' on this chain";
            return null;
        }
        return new ExitGroup(newChainId, interval.Value, exits);
    }
}

/// <summary>
/// Builds the new community's genesis from the old chain's exit records, and checks a split genesis against them
/// (docs/breakaway.md §4): members and member keys, meters with their keys and last registers, balances and fund
/// at zero, parameters copied, the first settled interval the exit interval, and the link to the parent.
/// </summary>
public static class SplitGenesis
{
    /// <param name="exitBlock">The parent's block that closed the interval before the exit interval (it made the exits final).</param>
    public static GenesisDocument Build(ExitGroup group, ChainParameters parentParameters, string parentChainId, BlockHeader exitBlock,
        string name, IReadOnlyList<string> installerKeys, IReadOnlyList<string> treasurerKeys, IReadOnlyList<GenesisValidator> validators)
    {
        var members = new List<GenesisMember>();
        var meters = new List<GenesisMeter>();
        foreach ((string house, ExitRecord record) in group.Exits)
        {
            members.Add(new GenesisMember(house, Hashes.Hex(record.MemberKey)));
            foreach (ExitMeter m in record.Meters)
            {
                meters.Add(new GenesisMeter(m.MeterId, house, Hashes.Hex(m.Meter.PublicKey), (int)m.Meter.Role, m.Meter.ImportWh, m.Meter.ExportWh, m.Meter.PvWh));
            }
        }
        ChainParameters p = parentParameters;
        return new GenesisDocument
        {
            ChainId = group.NewChainId,
            Name = name,
            Currency = p.Currency,
            MinorUnitDigits = p.MinorUnitDigits,
            IntervalSeconds = p.IntervalSeconds,
            GraceSeconds = p.GraceSeconds,
            FutureToleranceSeconds = p.FutureToleranceSeconds,
            RetentionSeconds = p.RetentionSeconds,
            RetailPrice = p.RetailPrice,
            FeedInPrice = p.FeedInPrice,
            PricingMechanism = p.PricingMechanism,
            FundSharePermille = p.FundSharePermille,
            MaxConnectionPowerW = p.MaxConnectionPowerW,
            Governance = p.Governance,
            ExitFundSharePermille = p.ExitFundSharePermille,
            Members = members,
            Meters = meters,
            InstallerKeys = installerKeys,
            TreasurerKeys = treasurerKeys,
            Validators = validators,
            GenesisTimeMs = group.ExitIntervalStart * 1000,
            Parent = new GenesisParent(parentChainId, exitBlock.Height, Hashes.Hex(exitBlock.Hash()), Hashes.Hex(group.Hash()), group.ExitIntervalStart),
        };
    }

    /// <summary>
    /// Every way the split genesis <paramref name="g"/> differs from what the parent chain recorded; empty when the
    /// parent link, members and meters all match. <paramref name="exitBlock"/> is the parent's block at the linked
    /// height (null when the parent has no such block); <paramref name="closedIntervals"/> the intervals it closed.
    /// </summary>
    public static List<string> FindProblems(GenesisDocument g, string parentChainId, IStateReader parentState, BlockHeader? exitBlock, IReadOnlyList<long> closedIntervals)
    {
        var problems = new List<string>();
        if (g.Parent is not { } link)
        {
            problems.Add("the genesis has no parent link; it is not a split genesis");
            return problems;
        }
        if (link.ChainId != parentChainId) problems.Add($"parent.chainId is '{link.ChainId}', the parent data holds chain '{parentChainId}'");
        if (exitBlock is null) problems.Add($"the parent chain has no block at height {link.Height}");
        else
        {
            if (Hashes.Hex(exitBlock.Hash()) != link.HeaderHash) problems.Add($"parent block {link.Height} hashes to {Hashes.Hex(exitBlock.Hash())}, the genesis names {link.HeaderHash}");
            long intervalBefore = link.ExitIntervalStart - g.IntervalSeconds;
            if (!closedIntervals.Contains(intervalBefore)) problems.Add($"parent block {link.Height} did not close interval {intervalBefore}, the one before the exit; it is not where the exits became final");
        }
        ExitGroup? group = ExitGroup.Find(parentState, g.ChainId, out string? problem);
        if (group is null)
        {
            problems.Add(problem!);
            return problems;
        }
        if (group.ExitIntervalStart != link.ExitIntervalStart) problems.Add($"the exits are from interval {group.ExitIntervalStart}, the genesis names {link.ExitIntervalStart}");
        if (Hashes.Hex(group.Hash()) != link.ExitsHash) problems.Add($"the parent's exit records hash to {Hashes.Hex(group.Hash())}, the genesis names {link.ExitsHash}");
        CompareMembers(problems, g, group);
        CompareMeters(problems, g, group);
        return problems;
    }

    private static void CompareMembers(List<string> problems, GenesisDocument g, ExitGroup group)
    {
        var expected = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach ((string house, ExitRecord record) in group.Exits) expected[house] = Hashes.Hex(record.MemberKey);
        var actual = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (GenesisMember m in g.Members) actual[m.HouseId] = m.PublicKey;
        foreach ((string house, string key) in expected)
        {
            if (!actual.TryGetValue(house, out string? got)) problems.Add($"house '{house}' left for this community but is not a member in the genesis");
            else if (got != key) problems.Add($"house '{house}' has member key {got} in the genesis, {key} in its exit record");
        }
        foreach (string house in actual.Keys)
        {
            if (!expected.ContainsKey(house)) problems.Add($"house '{house}' is a member in the genesis but has no exit record to this community");
        }
    }

    private static void CompareMeters(List<string> problems, GenesisDocument g, ExitGroup group)
    {
        var expected = new SortedDictionary<string, GenesisMeter>(StringComparer.Ordinal);
        foreach ((string house, ExitRecord record) in group.Exits)
        {
            foreach (ExitMeter m in record.Meters)
            {
                expected[m.MeterId] = new GenesisMeter(m.MeterId, house, Hashes.Hex(m.Meter.PublicKey), (int)m.Meter.Role, m.Meter.ImportWh, m.Meter.ExportWh, m.Meter.PvWh);
            }
        }
        var actual = new SortedDictionary<string, GenesisMeter>(StringComparer.Ordinal);
        foreach (GenesisMeter m in g.Meters ?? []) actual[m.MeterId] = m;
        foreach ((string id, GenesisMeter want) in expected)
        {
            if (!actual.TryGetValue(id, out GenesisMeter? got)) problems.Add($"meter '{id}' of house '{want.HouseId}' is missing from the genesis");
            else if (got != want) problems.Add($"meter '{id}' differs from its exit record: genesis {Describe(got)}, exit record {Describe(want)}");
        }
        foreach (string id in actual.Keys)
        {
            if (!expected.ContainsKey(id)) problems.Add($"meter '{id}' is in the genesis but in no exit record to this community");
        }
    }

    private static string Describe(GenesisMeter m) => $"house {m.HouseId}, key {m.PublicKey}, role {m.Role}, registers {m.ImportWh}/{m.ExportWh}/{m.PvWh} Wh";
}
