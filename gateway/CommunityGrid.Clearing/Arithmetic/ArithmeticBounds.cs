using CommunityGrid.Clearing.Model;

namespace CommunityGrid.Clearing.Arithmetic;

/// <summary>
/// Why the engine's fixed-width arithmetic is exact. Everything follows from <see cref="ClearingLimits"/>:
/// E = MaxEnergyWh = 10^10 Wh per house and side, P = MaxPrice = 10^6 per kWh, f ≤ 1000 ‰, and a house count
/// n ≤ <see cref="MaxHouses"/> = 2^20 (validation allows 10^5; the arithmetic is proven for 2^20 so the
/// benchmark's million-house community is exact too). With long.MaxValue ≈ 9.2·10^18 and
/// UInt128.MaxValue ≈ 3.4·10^38:
/// <list type="bullet">
/// <item>a house's volume d_i, s_j ≤ E = 10^10; D, G, Q ≤ n·E ≤ 1.05·10^16: long.</item>
/// <item>pro-rata energy split: Q·w_i ≤ 1.05·10^26: UInt128; the divisor D or G and every remainder &lt; 2^54: long.</item>
/// <item>internal price p = pn/pd (reduced): SDR in a deficit pn = λ_b·λ_s·D ≤ 1.05·10^28 and
/// pd ≤ (λ_b − λ_s)·G + λ_s·D &lt; λ_b·D ≤ 1.05·10^22; every other price has pd ≤ 2 and pn ≤ 2·10^6.
/// Every price lies in [0, λ_b], so pn ≤ λ_b·pd.</item>
/// <item>buyer i's exact amount over 1000·pd: pn·q_i + λ_b·pd·g_i ≤ λ_b·pd·d_i ≤ 1.05·10^38: UInt128.</item>
/// <item>seller j's exact amount over 10^6·pd: 1000·pn·q_j + (1000 − f)·λ_s·pd·e_j. When no seller exports to
/// the grid (e_j = 0 for all) the factor 1000 is cancelled: pn·q_j over 1000·pd, ≤ 1.05·10^38. When one does,
/// Q &lt; G, which only a surplus pool (p = λ_s or (λ_b + λ_s)/2 or 0) or an auction ((b* + o*)/2) allows, so
/// pd ≤ 2 and the amount ≤ 10^6·pd·λ_b·s_j ≤ 2·10^22.</item>
/// <item>a side's remainders sum to less than n·1000·pd ≤ 1.1·10^31: UInt128; its floors sum to at most
/// n·P·E/1000 ≤ 1.05·10^19, summed in Int128 and converted to long with a check (≤ 10^18 for n ≤ 10^5).</item>
/// <item>grid amounts: λ·(D − G) ≤ 1.05·10^22: Int128.</item>
/// </list>
/// Scaling every numerator and the common denominator of a side by the same factor changes no floor, no
/// remainder order and no rounded total, so the largest-remainder results equal those computed over the
/// unreduced BigInteger fractions docs/clearing.md states.
/// </summary>
internal static class ArithmeticBounds
{
    /// <summary>The house count the proofs above assume (2^20 = 1,048,576).</summary>
    public const int MaxHouses = 1 << 20;
}
