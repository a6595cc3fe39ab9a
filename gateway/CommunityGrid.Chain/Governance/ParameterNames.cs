using System;
using System.Formats.Cbor;
using System.Globalization;
using CommunityGrid.Chain.Encoding;

namespace CommunityGrid.Chain.Governance;

/// <summary>
/// Names of the parameters-map keys as the genesis file spells them, so people write <c>retailPrice=250</c> instead
/// of <c>7=250</c>. A key without a name here (added by a later version) is still usable by its number.
/// </summary>
public static class ParameterNames
{
    private static readonly (int Key, string Name)[] Known =
    [
        (1, "currency"), (2, "minorUnitDigits"), (3, "intervalSeconds"), (4, "graceSeconds"), (5, "futureToleranceSeconds"),
        (6, "retentionSeconds"), (7, "retailPrice"), (8, "feedInPrice"), (9, "pricingMechanism"), (10, "fundSharePermille"),
        (11, "maxConnectionPowerW"),
        (20, "votingPeriodSeconds"), (21, "quorumPermille"), (22, "thresholdPermille"), (23, "strictThresholdPermille"),
        (24, "maxOpenProposalsPerHouse"), (25, "effectDelayIntervals"), (26, "memberAdmission"),
        (30, "exitFundSharePermille"),
    ];

    public static string NameOf(int key)
    {
        foreach ((int k, string name) in Known) if (k == key) return name;
        return key.ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>The key for a name (case-insensitive) or a plain key number; null when neither.</summary>
    public static int? KeyOf(string nameOrNumber)
    {
        foreach ((int k, string name) in Known) if (string.Equals(name, nameOrNumber, StringComparison.OrdinalIgnoreCase)) return k;
        return int.TryParse(nameOrNumber, NumberStyles.None, CultureInfo.InvariantCulture, out int key) && key is >= 1 and <= 255 ? key : null;
    }

    /// <summary>
    /// A value as typed on a command line: a whole number becomes a CBOR integer, <c>treasurer</c>/<c>vote</c> for
    /// memberAdmission its code, anything else text. The chain checks the type when the proposal is made.
    /// </summary>
    public static ParameterValue Parse(int key, string text)
    {
        if (key == 26 && Enum.TryParse(text, ignoreCase: true, out MemberAdmission admission) && !char.IsDigit(text[0]))
        {
            return new ParameterValue(key, ParameterRules.EncodeValue((int)admission));
        }
        return long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long number)
            ? new ParameterValue(key, ParameterRules.EncodeValue(number))
            : new ParameterValue(key, ParameterRules.EncodeValue(text));
    }

    /// <summary>The value for people: the number or the text (memberAdmission by its name).</summary>
    public static string Render(ParameterValue value) => Cbor.Decode("parameter value", value.EncodedValue, r =>
    {
        if (r.PeekState() == CborReaderState.TextString) return r.ReadTextString();
        if (r.PeekState() is not (CborReaderState.UnsignedInteger or CborReaderState.NegativeInteger))
        {
            return "cbor:" + Hashes.Hex(r.ReadEncodedValue().Span);
        }
        long number = r.ReadInt64();
        return value.Key == 26 && Enum.IsDefined((MemberAdmission)number)
            ? ((MemberAdmission)number).ToString().ToLowerInvariant()
            : number.ToString(CultureInfo.InvariantCulture);
    });
}
