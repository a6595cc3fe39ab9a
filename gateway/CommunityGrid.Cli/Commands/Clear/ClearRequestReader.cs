using System;
using System.Collections.Generic;
using System.Text.Json;
using CommunityGrid.Clearing.Model;

namespace CommunityGrid.Cli.Commands.Clear;

/// <summary>
/// Reads the <c>cgrid clear</c> request. Strict on purpose: a misspelt field would otherwise silently
/// fall back to a default and settle money wrongly, so unknown and repeated fields are errors too.
/// A house's net position is generationWh − consumptionWh (export − import at its connection point
/// when the house has no storage).
/// </summary>
public static class ClearRequestReader
{
    private static readonly string[] RootFields = ["mechanism", "retailPrice", "feedInPrice", "fundShare", "houses"];
    private static readonly string[] HouseFields = ["id", "generationWh", "consumptionWh", "limitPrice"];

    public static ClearingInput Read(string json, string? mechanismOverride)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Disallow });
        }
        catch (JsonException error)
        {
            throw new ClearInputError("input", $"is not valid JSON (line {error.LineNumber + 1}): fix the syntax and retry.");
        }

        using (document)
        {
            var root = document.RootElement;
            RequireObject(root, "input", RootFields);
            var mechanism = ReadMechanism(root, mechanismOverride);
            var retailPrice = RequiredInteger(root, "retailPrice", "retailPrice", 0, ClearingLimits.MaxPrice);
            var feedInPrice = RequiredInteger(root, "feedInPrice", "feedInPrice", 0, ClearingLimits.MaxPrice);
            var fundShare = root.TryGetProperty("fundShare", out _)
                ? (int)RequiredInteger(root, "fundShare", "fundShare", 0, ClearingLimits.PermilleScale)
                : ClearingInput.DefaultFundSharePermille;
            return new ClearingInput(mechanism, retailPrice, feedInPrice, fundShare, ReadHouses(root));
        }
    }

    private static ClearingMechanism ReadMechanism(JsonElement root, string? mechanismOverride)
    {
        string? name;
        string field;
        if (mechanismOverride is not null)
        {
            (name, field) = (mechanismOverride, "--mechanism");
        }
        else if (root.TryGetProperty("mechanism", out var value))
        {
            field = "mechanism";
            name = value.ValueKind == JsonValueKind.String ? value.GetString() : null;
        }
        else
        {
            throw Missing("mechanism", $"give one of {string.Join(", ", MechanismNames.All)} in the input or with --mechanism.");
        }

        if (!MechanismNames.TryParse(name, out var mechanism))
        {
            throw new ClearInputError(field, $"unknown mechanism \"{name}\"; use one of {string.Join(", ", MechanismNames.All)}.");
        }

        return mechanism;
    }

    private static List<HousePosition> ReadHouses(JsonElement root)
    {
        if (!root.TryGetProperty("houses", out var houses))
        {
            throw Missing("houses", "give an array of houses (it may be empty).");
        }

        if (houses.ValueKind != JsonValueKind.Array)
        {
            throw new ClearInputError("houses", "must be an array of house objects.");
        }

        var result = new List<HousePosition>();
        var ids = new HashSet<string>(StringComparer.Ordinal);
        var index = 0;
        foreach (var house in houses.EnumerateArray())
        {
            var prefix = $"houses[{index}]";
            RequireObject(house, prefix, HouseFields);
            if (!house.TryGetProperty("id", out var idElement))
            {
                throw Missing(prefix + ".id", "give every house a unique id.");
            }

            var id = idElement.ValueKind == JsonValueKind.String ? idElement.GetString() : null;
            if (string.IsNullOrEmpty(id) || id.Length > ClearingLimits.MaxIdLength)
            {
                throw new ClearInputError(prefix + ".id", $"must be a string of 1 to {ClearingLimits.MaxIdLength} characters.");
            }

            if (!ids.Add(id))
            {
                throw new ClearInputError(prefix + ".id", $"duplicate id \"{id}\"; every house needs its own id.");
            }

            var generation = RequiredInteger(house, "generationWh", prefix + ".generationWh", 0, ClearingLimits.MaxEnergyWh);
            var consumption = RequiredInteger(house, "consumptionWh", prefix + ".consumptionWh", 0, ClearingLimits.MaxEnergyWh);
            long? limitPrice = house.TryGetProperty("limitPrice", out var limit) && limit.ValueKind != JsonValueKind.Null
                ? RequiredInteger(house, "limitPrice", prefix + ".limitPrice", 0, ClearingLimits.MaxPrice)
                : null;
            result.Add(new HousePosition(id, generation, consumption, limitPrice));
            index++;
        }

        return result;
    }

    private static void RequireObject(JsonElement element, string field, string[] allowed)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw new ClearInputError(field, "must be a JSON object.");
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var property in element.EnumerateObject())
        {
            var name = field == "input" ? property.Name : $"{field}.{property.Name}";
            if (Array.IndexOf(allowed, property.Name) < 0)
            {
                throw new ClearInputError(name, $"unknown field; allowed here: {string.Join(", ", allowed)}.");
            }

            if (!seen.Add(property.Name))
            {
                throw new ClearInputError(name, "appears twice; keep one.");
            }
        }
    }

    private static long RequiredInteger(JsonElement parent, string property, string field, long min, long max)
    {
        if (!parent.TryGetProperty(property, out var value))
        {
            throw Missing(field, $"give an integer from {min} to {max}.");
        }

        if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt64(out var number))
        {
            throw new ClearInputError(field, $"must be an integer from {min} to {max} (got {value.GetRawText()}).");
        }

        if (number < min || number > max)
        {
            throw new ClearInputError(field, $"must be an integer from {min} to {max} (got {number}).");
        }

        return number;
    }

    /// <summary>Spelled out so every missing-field message reads the same way.</summary>
    private static ClearInputError Missing(string field, string whatToDo) =>
        new(field, $"missing; {whatToDo}");
}
