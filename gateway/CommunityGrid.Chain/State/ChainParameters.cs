using System;
using System.Formats.Cbor;
using CommunityGrid.Chain.Encoding;
using CommunityGrid.Chain.Governance;

namespace CommunityGrid.Chain.State;

/// <summary>
/// The parameters the state machine runs by. Set at genesis; later changed only by governance transactions.
/// Prices are minor units of <see cref="Currency"/> per kWh.
/// </summary>
public sealed record ChainParameters(
    string Currency,
    int MinorUnitDigits,
    int IntervalSeconds,
    int GraceSeconds,
    int FutureToleranceSeconds,
    int RetentionSeconds,
    long RetailPrice,
    long FeedInPrice,
    string PricingMechanism,
    int FundSharePermille,
    long MaxConnectionPowerW)
{
    private const int FieldCount = 11 + GovernanceRules.EntryCount + 1;

    /// <summary>Keys 20..26 of the parameters map; see docs/governance.md.</summary>
    public GovernanceRules Governance { get; init; } = GovernanceRules.Default;

    /// <summary>
    /// Key 30: the share of the community fund a leaving house takes with it, permille of its per-house part
    /// (fund ÷ member houses) at its exit (docs/breakaway.md). 0, the default: leavers take none of the fund.
    /// </summary>
    public int ExitFundSharePermille { get; init; }

    public long IntervalMs => IntervalSeconds * 1000L;

    /// <summary>
    /// The most energy a meter's register may advance over <paramref name="intervals"/> settlement intervals: the
    /// connection's rated power for that long, plus 1 Wh for the register's own rounding (docs/chain.md §4,
    /// ImplausibleEnergy). Computed in 128 bits and capped at long.MaxValue, so any interval count is safe.
    /// </summary>
    public long MaxEnergyWh(long intervals)
    {
        Int128 wh = (Int128)MaxConnectionPowerW * IntervalSeconds * Math.Max(intervals, 1) / 3600 + 1;
        return wh > long.MaxValue ? long.MaxValue : (long)wh;
    }

    public void Write(CborWriter writer)
    {
        writer.WriteStartMap(FieldCount);
        writer.WriteInt32(1); writer.WriteTextString(Currency);
        writer.WriteInt32(2); writer.WriteInt32(MinorUnitDigits);
        writer.WriteInt32(3); writer.WriteInt32(IntervalSeconds);
        writer.WriteInt32(4); writer.WriteInt32(GraceSeconds);
        writer.WriteInt32(5); writer.WriteInt32(FutureToleranceSeconds);
        writer.WriteInt32(6); writer.WriteInt32(RetentionSeconds);
        writer.WriteInt32(7); writer.WriteInt64(RetailPrice);
        writer.WriteInt32(8); writer.WriteInt64(FeedInPrice);
        writer.WriteInt32(9); writer.WriteTextString(PricingMechanism);
        writer.WriteInt32(10); writer.WriteInt32(FundSharePermille);
        writer.WriteInt32(11); writer.WriteInt64(MaxConnectionPowerW);
        Governance.WriteEntries(writer);
        writer.WriteInt32(30); writer.WriteInt32(ExitFundSharePermille);
        writer.WriteEndMap();
    }

    public static ChainParameters Read(CborReader reader)
    {
        const string what = "parameters";
        Cbor.ReadMapHeader(reader, FieldCount, what);
        Cbor.ReadKey(reader, 1, what); string currency = reader.ReadTextString();
        Cbor.ReadKey(reader, 2, what); int digits = reader.ReadInt32();
        Cbor.ReadKey(reader, 3, what); int interval = reader.ReadInt32();
        Cbor.ReadKey(reader, 4, what); int grace = reader.ReadInt32();
        Cbor.ReadKey(reader, 5, what); int tolerance = reader.ReadInt32();
        Cbor.ReadKey(reader, 6, what); int retention = reader.ReadInt32();
        Cbor.ReadKey(reader, 7, what); long retail = reader.ReadInt64();
        Cbor.ReadKey(reader, 8, what); long feedIn = reader.ReadInt64();
        Cbor.ReadKey(reader, 9, what); string mechanism = reader.ReadTextString();
        Cbor.ReadKey(reader, 10, what); int fundShare = reader.ReadInt32();
        Cbor.ReadKey(reader, 11, what); long maxPower = reader.ReadInt64();
        GovernanceRules governance = GovernanceRules.ReadEntries(reader, what);
        Cbor.ReadKey(reader, 30, what); int exitFundShare = reader.ReadInt32();
        reader.ReadEndMap();
        return new ChainParameters(currency, digits, interval, grace, tolerance, retention, retail, feedIn, mechanism, fundShare, maxPower)
        {
            Governance = governance,
            ExitFundSharePermille = exitFundShare,
        };
    }
}
