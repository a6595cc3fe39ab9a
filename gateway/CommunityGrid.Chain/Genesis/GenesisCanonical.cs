using System;
using System.Collections.Generic;
using System.Linq;
using System.Formats.Cbor;
using CommunityGrid.Chain.Blocks;
using CommunityGrid.Chain.Encoding;
using CommunityGrid.Chain.State;

namespace CommunityGrid.Chain.Genesis;

/// <summary>
/// The canonical bytes of a genesis document and its hash, which block 1 names as its previous hash. Lists are
/// sorted (members by house id, keys bytewise) so that the JSON's order and whitespace do not matter.
/// </summary>
public static class GenesisCanonical
{
    public static ChainParameters Parameters(GenesisDocument g) => new(
        g.Currency, g.MinorUnitDigits, g.IntervalSeconds, g.GraceSeconds, g.FutureToleranceSeconds, g.RetentionSeconds,
        g.RetailPrice, g.FeedInPrice, g.PricingMechanism, g.FundSharePermille, g.MaxConnectionPowerW)
    {
        Governance = g.Governance,
        ExitFundSharePermille = g.ExitFundSharePermille,
    };

    public static byte[] Encode(GenesisDocument g)
    {
        Require(g);
        CborWriter w = Cbor.Writer();
        // Format 2, a split genesis, adds keys 9 and 10; format 1 (8 keys) stays as it was, so the hashes of
        // communities started by `community init` do not change.
        bool split = g.Parent is not null || g.Meters is { Count: > 0 };
        w.WriteStartMap(split ? 10 : 8);
        w.WriteInt32(1); w.WriteTextString(g.ChainId);
        w.WriteInt32(2); w.WriteTextString(g.Name);
        w.WriteInt32(3); w.WriteInt64(g.GenesisTimeMs);
        w.WriteInt32(4); Parameters(g).Write(w);
        w.WriteInt32(5);
        w.WriteStartArray(g.Members.Count);
        foreach (GenesisMember m in g.Members.OrderBy(m => m.HouseId, StringComparer.Ordinal))
        {
            w.WriteStartArray(2);
            w.WriteTextString(m.HouseId);
            w.WriteByteString(GenesisRules.ParseKey(m.PublicKey));
            w.WriteEndArray();
        }
        w.WriteEndArray();
        w.WriteInt32(6); WriteKeys(w, g.InstallerKeys);
        w.WriteInt32(7); WriteKeys(w, g.TreasurerKeys);
        w.WriteInt32(8); ValidatorSet.FromGenesis(g).Write(w);
        if (split)
        {
            w.WriteInt32(9); WriteParent(w, g.Parent);
            w.WriteInt32(10); WriteMeters(w, g.Meters ?? []);
        }
        w.WriteEndMap();
        return w.Encode();
    }

    public static byte[] Hash(GenesisDocument g) => Hashes.Sha256(Encode(g));

    /// <exception cref="GenesisException">the document breaks a rule; the message lists every problem.</exception>
    public static void Require(GenesisDocument g)
    {
        IReadOnlyList<string> problems = GenesisRules.FindProblems(g);
        if (problems.Count > 0) throw new GenesisException("genesis is invalid: " + string.Join("; ", problems));
    }

    public static IReadOnlyList<byte[]> SortedKeys(IEnumerable<string> hexKeys) =>
        hexKeys.Select(GenesisRules.ParseKey).OrderBy(k => k, Comparer<byte[]>.Create(Hashes.Compare)).ToList();

    private static void WriteParent(CborWriter w, GenesisParent? parent)
    {
        if (parent is null)
        {
            w.WriteNull();
            return;
        }
        w.WriteStartArray(5);
        w.WriteTextString(parent.ChainId);
        w.WriteInt64(parent.Height);
        w.WriteByteString(Convert.FromHexString(parent.HeaderHash));
        w.WriteByteString(Convert.FromHexString(parent.ExitsHash));
        w.WriteInt64(parent.ExitIntervalStart);
        w.WriteEndArray();
    }

    private static void WriteMeters(CborWriter w, IReadOnlyList<GenesisMeter> meters)
    {
        w.WriteStartArray(meters.Count);
        foreach (GenesisMeter m in meters.OrderBy(m => m.MeterId, StringComparer.Ordinal))
        {
            w.WriteStartArray(7);
            w.WriteTextString(m.MeterId);
            w.WriteByteString(GenesisRules.ParseKey(m.PublicKey));
            w.WriteTextString(m.HouseId);
            w.WriteInt32(m.Role);
            w.WriteInt64(m.ImportWh);
            w.WriteInt64(m.ExportWh);
            w.WriteInt64(m.PvWh);
            w.WriteEndArray();
        }
        w.WriteEndArray();
    }

    private static void WriteKeys(CborWriter w, IReadOnlyList<string> hexKeys)
    {
        IReadOnlyList<byte[]> keys = SortedKeys(hexKeys);
        w.WriteStartArray(keys.Count);
        foreach (byte[] key in keys) w.WriteByteString(key);
        w.WriteEndArray();
    }
}

public sealed class GenesisException(string message) : Exception(message);
