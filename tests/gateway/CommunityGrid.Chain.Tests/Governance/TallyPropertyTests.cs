using System;
using System.Collections.Generic;
using System.Linq;
using CommunityGrid.Chain.Governance;
using CommunityGrid.Chain.Tests.Support;
using CommunityGrid.Chain.Transactions;
using CommunityGrid.Chain.Validation;
using static CommunityGrid.Chain.Tests.Support.GovernanceSigning;

namespace CommunityGrid.Chain.Tests.Governance;

/// <summary>
/// Random vote histories (seeded): members vote, change their votes, repeat them; outsiders and late voters try.
/// The chain's tally and outcome must equal an independent count of each house's last accepted vote.
/// </summary>
public sealed class TallyPropertyTests
{
    [Theory]
    [MemberData(nameof(Seeds))]
    public void Tallies_equal_an_independent_count(int seed)
    {
        var random = new Random(seed);
        int houses = random.Next(3, 16);
        var rules = new GovernanceRules
        {
            VotingPeriodSeconds = 600,
            QuorumPermille = random.Next(0, 1001),
            ThresholdPermille = random.Next(0, 800),
            StrictThresholdPermille = 800,
            MaxOpenProposalsPerHouse = 5,
        };
        using var c = new TestCommunity(houses: houses, governance: rules);
        bool strict = random.Next(2) == 0;
        byte[] proposalTx = c.ProposalTx(1, strict ? Change(21, 100) : new ResolutionEffect());
        long t = TestCommunity.At(10);
        c.Produce(t, proposalTx);
        byte[] id = Id(proposalTx);
        long closes = t + 600_000;

        var lastVote = new Dictionary<int, VoteChoice>();
        var outsider = c.Key(90);
        int blocks = random.Next(1, 6);
        for (int b = 0; b < blocks; b++)
        {
            long time = t + (b + 1) * (590_000 / blocks);
            var txs = new List<byte[]>();
            for (int v = random.Next(0, houses * 2); v > 0; v--)
            {
                int house = random.Next(1, houses + 1);
                var choice = (VoteChoice)random.Next(1, 4);
                txs.Add(c.VoteTx(house, id, choice));
                lastVote[house] = choice;
            }
            if (random.Next(3) == 0) Assert.Equal(RejectionReason.Unauthorized, c.Try(c.VoteBy(outsider, id, VoteChoice.Yes), time).Reason);
            txs.Add(c.StatementTx(1, $"block {b}"));
            c.Produce(time, txs.ToArray());
        }
        Assert.Equal(RejectionReason.VotingClosed, c.Try(c.VoteTx(random.Next(1, houses + 1), id, VoteChoice.Yes), closes).Reason);
        c.Produce(closes + random.Next(0, 5000), c.StatementTx(1, "closed"));

        long yes = lastVote.Values.Count(v => v == VoteChoice.Yes);
        long no = lastVote.Values.Count(v => v == VoteChoice.No);
        long abstain = lastVote.Values.Count(v => v == VoteChoice.Abstain);
        ProposalRecord p = c.Proposal(id);
        Assert.Equal(new Tally(yes, no, abstain, houses), p.Tally);

        // Independent evaluation in rational arithmetic: turnout / houses >= quorum / 1000; yes / (yes + no) > threshold / 1000.
        decimal threshold = (strict ? rules.StrictThresholdPermille : rules.ThresholdPermille) / 1000m;
        bool quorum = (decimal)lastVote.Count / houses >= rules.QuorumPermille / 1000m;
        bool majority = yes + no > 0 && (decimal)yes / (yes + no) > threshold;
        ProposalStatus expected = !quorum ? ProposalStatus.QuorumNotMet : !majority ? ProposalStatus.Rejected : ProposalStatus.Passed;
        Assert.Equal(expected, p.Status);
    }

    public static TheoryData<int> Seeds()
    {
        var seeds = new TheoryData<int>();
        for (int s = 1; s <= 60; s++) seeds.Add(s);
        return seeds;
    }
}
