using System;
using System.Globalization;

namespace CommunityGrid.Simulation.Report;

/// <summary>Numbers as a bill or a tariff sheet shows them: currency units (0.30 EUR/kWh, 12.34 EUR), kWh.</summary>
public sealed class ReportFormat(ReportCommunity community)
{
    private readonly decimal scale = (decimal)Math.Pow(10, community.MinorUnitDigits);
    private readonly string money = community.MinorUnitDigits == 0 ? "0" : "0." + new string('0', community.MinorUnitDigits);

    public string Currency => community.Currency;

    /// <summary>Currency units for an amount in minor units, e.g. 1234 → "12.34 EUR".</summary>
    public string Money(long minor) => Units(minor).ToString(money, CultureInfo.InvariantCulture) + " " + Currency;

    /// <summary>Like <see cref="Money"/> with an explicit sign, for savings: "+1.20 EUR", "−0.35 EUR".</summary>
    public string Signed(long minor) => (minor > 0 ? "+" : minor < 0 ? "−" : "") + Money(Math.Abs(minor));

    public decimal Units(long minor) => minor / scale;

    /// <summary>A price in minor units per kWh as currency per kWh: 30 → "0.30 EUR/kWh"; internal prices keep up to two more digits.</summary>
    public string Price(double minorPerKwh) => PriceNumber(minorPerKwh) + " " + Currency + "/kWh";

    public string PriceNumber(double minorPerKwh) => ((decimal)minorPerKwh / scale).ToString(money + "##", CultureInfo.InvariantCulture);

    public double PriceUnits(double minorPerKwh) => minorPerKwh / (double)scale;

    public static string Kwh(long wh) => (wh / 1000.0).ToString("0.0", CultureInfo.InvariantCulture) + " kWh";

    public static string Percent(double value) => value.ToString("0.0", CultureInfo.InvariantCulture) + " %";
}
