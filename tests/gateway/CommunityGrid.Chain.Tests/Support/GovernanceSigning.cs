using CommunityGrid.Chain.Encoding;
using CommunityGrid.Chain.Governance;
using CommunityGrid.Chain.Transactions;
using CommunityGrid.Formats.Signing;

namespace CommunityGrid.Chain.Tests.Support;

/// <summary>Signs governance transactions for a <see cref="TestCommunity"/>; houses are numbered from 1 (h1 = Members[0]).</summary>
public static class GovernanceSigning
{
    public static byte[] ProposalTx(this TestCommunity c, int house, ProposalEffect effect, string title = "A proposal", string text = "Why.") =>
        c.ProposalBy(c.Members[house - 1], effect, title, text);

    public static byte[] ProposalBy(this TestCommunity c, Ed25519Signer signer, ProposalEffect effect, string title = "A proposal", string text = "Why.") =>
        TestCommunity.Sign(new ProposalPayload(TestCommunity.ChainId, c.NextNonce(signer), title, text, effect), signer);

    public static byte[] VoteTx(this TestCommunity c, int house, byte[] proposalId, VoteChoice choice) =>
        c.VoteBy(c.Members[house - 1], proposalId, choice);

    public static byte[] VoteBy(this TestCommunity c, Ed25519Signer signer, byte[] proposalId, VoteChoice choice) =>
        TestCommunity.Sign(new VotePayload(TestCommunity.ChainId, c.NextNonce(signer), proposalId, choice), signer);

    public static byte[] StatementTx(this TestCommunity c, int house, string text, byte[]? proposalId = null, byte[]? follows = null) =>
        TestCommunity.Sign(new StatementPayload(TestCommunity.ChainId, c.NextNonce(c.Members[house - 1]), text, proposalId, follows), c.Members[house - 1]);

    public static byte[] FundPayoutTx(this TestCommunity c, byte[] proposalId, long amount, string reference = "invoice 17", Ed25519Signer? treasurer = null) =>
        TestCommunity.Sign(new FundPayoutPayload(TestCommunity.ChainId, c.NextNonce(treasurer ?? c.Treasurer), proposalId, amount, reference), treasurer ?? c.Treasurer);

    public static byte[] Id(byte[] tx) => Hashes.Sha256(tx);

    public static ProposalRecord Proposal(this TestCommunity c, byte[] id) => c.State.View().Proposal(id)!;

    public static ParameterChangeEffect Change(int key, object value) => new([new ParameterValue(key, ParameterRules.EncodeValue(value))]);

    /// <summary>Votes of houses 1..n in one block: the first <paramref name="yes"/> yes, then <paramref name="no"/> no, then <paramref name="abstain"/> abstain.</summary>
    public static void Votes(this TestCommunity c, long timeMs, byte[] proposalId, int yes, int no = 0, int abstain = 0)
    {
        var txs = new System.Collections.Generic.List<byte[]>();
        int house = 1;
        for (int i = 0; i < yes; i++) txs.Add(c.VoteTx(house++, proposalId, VoteChoice.Yes));
        for (int i = 0; i < no; i++) txs.Add(c.VoteTx(house++, proposalId, VoteChoice.No));
        for (int i = 0; i < abstain; i++) txs.Add(c.VoteTx(house++, proposalId, VoteChoice.Abstain));
        c.Produce(timeMs, txs.ToArray());
    }
}
