using System;
using System.Globalization;
using CommunityGrid.Chain.Encoding;

namespace CommunityGrid.Chain.State;

/// <summary>
/// State keys: ASCII text, '/'-separated, numbers zero-padded so that ordinal order is numeric order.
/// Ids cannot contain '/', so every key parses back uniquely (docs/chain.md, "State").
/// </summary>
public static class StateKeys
{
    public const string Chain = "chain";
    public const string Parameters = "parameters";
    public const string Fund = "fund";
    public const string NextInterval = "interval/next";
    /// <summary>The internal price of the last closed interval, <c>[intervalStart, minor units per kWh]</c> (docs/chain.md §3).</summary>
    public const string Price = "price";
    public const string PendingPrefix = "pending/";

    public static string Member(string houseId) => "member/" + houseId;
    public static string MemberKey(byte[] key) => "memberkey/" + Hashes.Hex(key);
    public static string Balance(string houseId) => "balance/" + houseId;
    public static string Meter(string meterId) => "meter/" + meterId;
    public static string MeterKey(byte[] key) => "meterkey/" + Hashes.Hex(key);
    public static string Nonce(byte[] signer) => "nonce/" + Hashes.Hex(signer);
    public static string Installer(byte[] key) => "role/installer/" + Hashes.Hex(key);
    public static string Treasurer(byte[] key) => "role/treasurer/" + Hashes.Hex(key);
    public static string Validator(byte[] key) => "validator/" + Hashes.Hex(key);
    public const string ValidatorPrefix = "validator/";
    /// <summary>Validator changes decided in the previous block, applied at the end of this one (the set of H+2).</summary>
    public const string ValidatorNextPrefix = "validator-next/";
    /// <summary>The set that committed the tip when it differs from <see cref="ValidatorPrefix"/>'s (for the commit the next block carries).</summary>
    public const string ValidatorPriorPrefix = "validator-prior/";
    /// <summary>One offence (validator / height / round / vote type), recorded once: the value is the evidence's id.</summary>
    public static string Evidence(string offenceKey) => "evidence/" + offenceKey;

    /// <summary>Energy waiting to settle in the interval starting at <paramref name="intervalStart"/> (Unix seconds).</summary>
    public static string PendingInterval(long intervalStart) => PendingPrefix + Pad(intervalStart) + "/";
    public static string Pending(long intervalStart, string houseId) => PendingInterval(intervalStart) + houseId;

    public const int PadWidth = 19;

    private static string Pad(long value) => value.ToString("D19", CultureInfo.InvariantCulture);
}
