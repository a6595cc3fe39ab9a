using CommunityGrid.Chain.State;

namespace CommunityGrid.Chain.Intervals;

/// <summary>
/// State entry <c>price</c> → <c>[intervalStart, price]</c> (docs/chain.md §3): the internal price of the last closed
/// interval in whole minor units per kWh, so a light-client meter can have it proved against a state root like its
/// balance (docs/protocol.md §7.6 key 9). Integers only: it feeds the state root.
/// </summary>
/// <param name="IntervalStart">Start (Unix s) of the interval the price is of; 0 before any interval has closed (genesis).</param>
/// <param name="MinorPerKwh">Minor units per kWh (signed).</param>
public sealed record IntervalPrice(long IntervalStart, long MinorPerKwh)
{
    private const long MicrosPerMinor = 1_000_000;

    /// <summary>
    /// protocol.md §7.4 key 3: the settlement's internal price (millionths of a minor unit per kWh) rounded half up to
    /// whole minor units; the retail price when the interval had none (grid-only settlement, an auction that matched
    /// nothing): every kWh a house bought then came from the grid at that price.
    /// </summary>
    public static IntervalPrice Of(SettlementResult closed, long retailPrice) =>
        new(closed.IntervalStart, closed.InternalPriceMicros is long micros ? RoundHalfUp(micros) : retailPrice);

    /// <summary>Genesis: no interval has closed yet, so the price a house pays is the retail price.</summary>
    public static IntervalPrice AtGenesis(long retailPrice) => new(0, retailPrice);

    /// <summary>floor(micros / 10^6 + 1/2), exact for every long (half up also for negative prices: −1.5 → −1).</summary>
    public static long RoundHalfUp(long micros)
    {
        long whole = micros / MicrosPerMinor;
        long rest = micros % MicrosPerMinor;
        if (rest < 0)
        {
            // Floor division: C# truncates towards zero.
            whole--;
            rest += MicrosPerMinor;
        }
        return rest * 2 >= MicrosPerMinor ? whole + 1 : whole;
    }

    public byte[] Encode() => StateValues.EncodePair(IntervalStart, MinorPerKwh);

    public static IntervalPrice Decode(byte[] bytes)
    {
        (long start, long price) = StateValues.DecodePair(bytes, "price");
        return new IntervalPrice(start, price);
    }

    /// <summary>The entry at <paramref name="state"/>'s tip; null only in a state made before the entry existed.</summary>
    public static IntervalPrice? Read(StateView state) => state.Overlay.Get(StateKeys.Price) is { } v ? Decode(v) : null;

    public void Write(StateView state) => state.Overlay.Set(StateKeys.Price, Encode());
}
