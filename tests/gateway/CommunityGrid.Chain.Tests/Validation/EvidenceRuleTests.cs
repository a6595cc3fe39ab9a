using CommunityGrid.Chain.State;
using CommunityGrid.Chain.Tests.Support;
using CommunityGrid.Chain.Transactions;
using CommunityGrid.Chain.Validation;
using CommunityGrid.Consensus;
using CommunityGrid.Consensus.Messages;
using CommunityGrid.Formats.Signing;

namespace CommunityGrid.Chain.Tests.Validation;

/// <summary>consensus.md §2.4 / chain.md §4: double-sign evidence is reported by a validator and recorded once per offence.</summary>
public sealed class EvidenceRuleTests
{
    private static DoubleSignEvidence Equivocation(Ed25519Signer offender, string chainId = TestCommunity.ChainId, long height = 5, int round = 1)
    {
        SignedVote a = SignedVote.Create(chainId, MessageType.Prevote, height, round, new BlockId(Filled(1)), offender);
        SignedVote b = SignedVote.Create(chainId, MessageType.Prevote, height, round, new BlockId(Filled(2)), offender);
        return DoubleSignEvidence.TryCreate(a, b)!;
    }

    private static byte[] Filled(byte value)
    {
        var bytes = new byte[32];
        System.Array.Fill(bytes, value);
        return bytes;
    }

    [Fact]
    public void Evidence_from_a_validator_is_recorded_once_per_offence()
    {
        using var c = new TestCommunity().WithMeters();
        DoubleSignEvidence evidence = Equivocation(c.Validator);
        c.Produce(TestCommunity.EndOf(0), EvidenceTransaction.Create(TestCommunity.ChainId, 1, evidence, c.Validator));
        Assert.Equal(StateValues.EncodeBytes(evidence.Id), c.State.View().Overlay.Get(StateKeys.Evidence(evidence.OffenceKey)));

        // The same offence again (as a second gateway would report it, here with a later nonce): refused, not counted twice.
        TxOutcome again = c.Try(EvidenceTransaction.Create(TestCommunity.ChainId, 2, evidence, c.Validator), TestCommunity.EndOf(1));
        Assert.Equal(RejectionReason.EvidenceAlreadyRecorded, again.Reason);
        // Another offence of the same validator (another round) is a new record.
        Assert.Equal(TxStatus.Applied, c.Try(EvidenceTransaction.Create(TestCommunity.ChainId, 2, Equivocation(c.Validator, round: 2), c.Validator), TestCommunity.EndOf(1)).Status);
    }

    [Fact]
    public void Only_a_validator_reports_and_only_a_proven_offence_by_a_validator_counts()
    {
        using var c = new TestCommunity().WithMeters();
        using Ed25519Signer outsider = Ed25519Signer.Generate();
        long t = TestCommunity.EndOf(0);
        Assert.Equal(RejectionReason.Unauthorized, c.Try(EvidenceTransaction.Create(TestCommunity.ChainId, 1, Equivocation(c.Validator), outsider), t).Reason);
        // Two conflicting votes of a key outside the set prove nothing about the set.
        Assert.Equal(RejectionReason.InvalidEvidence, c.Try(EvidenceTransaction.Create(TestCommunity.ChainId, 1, Equivocation(outsider), c.Validator), t).Reason);
        // Votes signed for another chain do not verify here.
        Assert.Equal(RejectionReason.InvalidEvidence, c.Try(EvidenceTransaction.Create(TestCommunity.ChainId, 1, Equivocation(c.Validator, chainId: "other-grid"), c.Validator), t).Reason);
        // Bytes that are not evidence.
        byte[] garbage = TestCommunity.Sign(new EvidencePayload(TestCommunity.ChainId, 1, [1, 2, 3]), c.Validator);
        Assert.Equal(RejectionReason.InvalidEvidence, c.Try(garbage, t).Reason);
    }
}
