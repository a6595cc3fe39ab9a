using System.IO;
using System.Text.Json;
using CommunityGrid.Clearing.Arithmetic;
using CommunityGrid.Clearing.Model;

namespace CommunityGrid.Cli.Commands.Clear;

/// <summary>
/// Writes the <c>cgrid clear</c> response. Amounts are exact integers from the engine; the three prices
/// are exact rationals in the engine and are printed rounded half up to whole minor units per kWh
/// (display only, nothing is computed from them).
/// </summary>
public static class ClearResponseWriter
{
    public static void Write(Stream output, ClearingResult result)
    {
        using var json = new Utf8JsonWriter(output, new JsonWriterOptions { Indented = true });
        json.WriteStartObject();
        json.WriteString("mechanism", MechanismNames.NameOf(result.Mechanism));
        WritePrice(json, "buyPrice", result.AverageBuyPrice);
        WritePrice(json, "sellPrice", result.AverageSellPrice);
        WritePrice(json, "internalPrice", result.InternalPrice);
        json.WriteStartArray("houses");
        foreach (var house in result.Houses)
        {
            json.WriteStartObject();
            json.WriteString("id", house.Id);
            json.WriteNumber("importInternalWh", house.ImportInternalWh);
            json.WriteNumber("exportInternalWh", house.ExportInternalWh);
            json.WriteNumber("importGridWh", house.ImportGridWh);
            json.WriteNumber("exportGridWh", house.ExportGridWh);
            json.WriteNumber("cost", house.Cost);
            json.WriteNumber("revenue", house.Revenue);
            json.WriteNumber("net", house.Net);
            json.WriteEndObject();
        }

        json.WriteEndArray();
        var community = result.Community;
        json.WriteStartObject("community");
        json.WriteNumber("importGridWh", community.ImportGridWh);
        json.WriteNumber("exportGridWh", community.ExportGridWh);
        json.WriteNumber("gridCost", community.GridCost);
        json.WriteNumber("gridRevenue", community.GridRevenue);
        json.WriteNumber("fundIncome", community.FundIncome);
        json.WriteNumber("internalWh", community.InternalWh);
        json.WriteEndObject();
        json.WriteEndObject();
        json.Flush();
        output.WriteByte((byte)'\n');
    }

    private static void WritePrice(Utf8JsonWriter json, string name, Ratio? price)
    {
        if (price is { } value)
        {
            json.WriteNumber(name, (long)value.RoundHalfUp());
        }
        else
        {
            json.WriteNull(name);
        }
    }
}
