using System.Collections.Generic;
using CommunityGrid.Clearing.Arithmetic;

namespace CommunityGrid.Clearing.Mechanisms;

/// <summary>
/// A mechanism's verdict for one interval.
/// </summary>
/// <param name="Price">Internal price p_int, minor units per kWh (exact); null when the mechanism matched nothing and defines no price.</param>
/// <param name="BuyerInternalWh">Energy each buyer takes internally, in <see cref="OrderBook.Buyers"/> order.</param>
/// <param name="SellerInternalWh">Energy each seller delivers internally, in <see cref="OrderBook.Sellers"/> order.</param>
public sealed record InternalMatch(Ratio? Price, IReadOnlyList<long> BuyerInternalWh, IReadOnlyList<long> SellerInternalWh);
