using System;
using CommunityGrid.Clearing.Arithmetic;
using CommunityGrid.Clearing.Mechanisms;
using CommunityGrid.Clearing.Model;
using CommunityGrid.Clearing.Settlement;
using CommunityGrid.Clearing.Sorting;

namespace CommunityGrid.Clearing;

/// <summary>
/// Clears one settlement interval. A pure function of its input: integer and exact-rational arithmetic
/// only, no clock, no randomness, no dependence on the order of <see cref="ClearingInput.Houses"/>, so
/// every gateway that replays the same readings settles identically.
/// </summary>
public static class ClearingEngine
{
    /// <exception cref="ClearingInputException">The input breaks a rule in <see cref="InputValidator"/>.</exception>
    public static ClearingResult Clear(ClearingInput input)
    {
        InputValidator.Validate(input);
        return ClearValidated(input);
    }

    /// <summary>
    /// Clears an input that already passed <see cref="InputValidator"/>, except that the house count may go up
    /// to <see cref="ArithmeticBounds.MaxHouses"/> (the benchmark's million-house community).
    /// </summary>
    internal static ClearingResult ClearValidated(ClearingInput input)
    {
        if (input.Houses.Count > ArithmeticBounds.MaxHouses)
        {
            throw new ArgumentOutOfRangeException(
                nameof(input), $"The engine's arithmetic is proven for at most {ArithmeticBounds.MaxHouses} houses.");
        }

        var book = HouseBook.From(input.Houses);
        var match = input.Mechanism == ClearingMechanism.DoubleAuction
            ? DoubleAuction.Match(book, input.RetailPrice, input.FeedInPrice)
            : PoolMechanism.Match(input.Mechanism, book, input.RetailPrice, input.FeedInPrice);
        return Settler.Settle(input, book, match);
    }
}
