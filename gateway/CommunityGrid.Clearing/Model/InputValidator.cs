using System;
using System.Collections.Generic;

namespace CommunityGrid.Clearing.Model;

/// <summary>Checks an input against <see cref="ClearingLimits"/> before any arithmetic, naming the field at fault.</summary>
public static class InputValidator
{
    public static void Validate(ClearingInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (!Enum.IsDefined(input.Mechanism))
        {
            throw new ClearingInputException("mechanism", $"unknown mechanism {(int)input.Mechanism}.");
        }

        RequireRange("retailPrice", input.RetailPrice, 0, ClearingLimits.MaxPrice);
        RequireRange("feedInPrice", input.FeedInPrice, 0, ClearingLimits.MaxPrice);
        if (input.FeedInPrice > input.RetailPrice)
        {
            throw new ClearingInputException(
                "feedInPrice", $"must not exceed retailPrice ({input.FeedInPrice} > {input.RetailPrice}).");
        }

        RequireRange("fundShare", input.FundSharePermille, 0, ClearingLimits.PermilleScale);
        if (input.Houses is null)
        {
            throw new ClearingInputException("houses", "is missing.");
        }

        if (input.Houses.Count > ClearingLimits.MaxHouses)
        {
            throw new ClearingInputException(
                "houses", $"at most {ClearingLimits.MaxHouses} houses per interval (got {input.Houses.Count}).");
        }

        var seen = new HashSet<string>(input.Houses.Count, StringComparer.Ordinal);
        for (var i = 0; i < input.Houses.Count; i++)
        {
            var house = input.Houses[i];
            // The field name is built only for an error: formatting it for every house cost as much as the rest.
            string Prefix() => $"houses[{i}]";
            if (house is null)
            {
                throw new ClearingInputException(Prefix(), "is missing.");
            }

            if (string.IsNullOrEmpty(house.Id) || house.Id.Length > ClearingLimits.MaxIdLength)
            {
                throw new ClearingInputException(
                    Prefix() + ".id", $"must be 1 to {ClearingLimits.MaxIdLength} characters.");
            }

            if (!seen.Add(house.Id))
            {
                throw new ClearingInputException(Prefix() + ".id", $"duplicate id \"{house.Id}\".");
            }

            RequireRange(i, "exportWh", house.ExportWh, 0, ClearingLimits.MaxEnergyWh);
            RequireRange(i, "importWh", house.ImportWh, 0, ClearingLimits.MaxEnergyWh);
            if (house.LimitPrice is { } limit)
            {
                RequireRange(i, "limitPrice", limit, 0, ClearingLimits.MaxPrice);
            }
        }
    }

    private static void RequireRange(int house, string field, long value, long min, long max)
    {
        if (value < min || value > max)
        {
            RequireRange($"houses[{house}].{field}", value, min, max);
        }
    }

    private static void RequireRange(string field, long value, long min, long max)
    {
        if (value < min || value > max)
        {
            throw new ClearingInputException(field, $"must be between {min} and {max} (got {value}).");
        }
    }
}
