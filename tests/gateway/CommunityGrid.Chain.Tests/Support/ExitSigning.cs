using CommunityGrid.Chain.Breakaway;
using CommunityGrid.Chain.Transactions;
using CommunityGrid.Formats.Signing;

namespace CommunityGrid.Chain.Tests.Support;

/// <summary>Signs exits and exit settlements for a <see cref="TestCommunity"/>; houses are numbered from 1 (h1 = Members[0]).</summary>
public static class ExitSigning
{
    public const string NewChain = "new-grid";

    /// <param name="interval">Index of the exit interval after genesis.</param>
    public static byte[] ExitTx(this TestCommunity c, int house, long interval, string newChainId = NewChain) =>
        c.ExitBy(c.Members[house - 1], interval, newChainId);

    public static byte[] ExitBy(this TestCommunity c, Ed25519Signer signer, long interval, string newChainId = NewChain) =>
        TestCommunity.Sign(new ExitPayload(TestCommunity.ChainId, c.NextNonce(signer), newChainId, TestCommunity.IntervalStart(interval)), signer);

    public static byte[] ExitSettlementTx(this TestCommunity c, string houseId, ExitSettlementKind kind, long amount, string reference = "bank transfer 9") =>
        TestCommunity.Sign(new ExitSettlementPayload(TestCommunity.ChainId, c.NextNonce(c.Treasurer), houseId, kind, amount, reference), c.Treasurer);

    public static ExitRecord? Exit(this TestCommunity c, string houseId) => c.State.View().Exit(houseId);

    public static long OpenAmount(this TestCommunity c, string houseId) => c.Exit(houseId)!.Owed - c.State.View().ExitSettled(houseId);
}
