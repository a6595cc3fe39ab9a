using CommunityGrid.Clearing.Arithmetic;

namespace CommunityGrid.Clearing.Mechanisms;

/// <summary>A mechanism's verdict for one interval.</summary>
/// <param name="Price">Internal price p_int (exact); null when an auction matched nothing.</param>
/// <param name="BuyerInternalWh">Energy each buyer takes internally, in the book's buyer (id) order.</param>
/// <param name="SellerInternalWh">Energy each seller delivers internally, in the book's seller (id) order.</param>
/// <param name="InternalWh">Q = Σ BuyerInternalWh = Σ SellerInternalWh.</param>
internal sealed record InternalMatch(Ratio? Price, long[] BuyerInternalWh, long[] SellerInternalWh, long InternalWh);
