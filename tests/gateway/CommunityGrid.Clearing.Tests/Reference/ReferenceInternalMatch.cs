using System.Collections.Generic;
using CommunityGrid.Clearing.Arithmetic;

namespace CommunityGrid.Clearing.Tests.Reference;

// Reference oracle: today's engine before the issue-18 rewrite, verbatim but for type names. See ReferenceClearingEngine.

/// <summary>
/// A mechanism's verdict for one interval.
/// </summary>
/// <param name="Price">Internal price p_int, minor units per kWh (exact); null when the mechanism matched nothing and defines no price.</param>
/// <param name="BuyerInternalWh">Energy each buyer takes internally, in <see cref="ReferenceOrderBook.Buyers"/> order.</param>
/// <param name="SellerInternalWh">Energy each seller delivers internally, in <see cref="ReferenceOrderBook.Sellers"/> order.</param>
public sealed record ReferenceInternalMatch(Ratio? Price, IReadOnlyList<long> BuyerInternalWh, IReadOnlyList<long> SellerInternalWh);
