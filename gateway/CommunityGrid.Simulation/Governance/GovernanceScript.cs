using System;
using System.Collections.Generic;
using CommunityGrid.Chain.Encoding;
using CommunityGrid.Chain.Governance;
using CommunityGrid.Chain.Transactions;
using CommunityGrid.Formats.Cose;
using CommunityGrid.Formats.Signing;
using CommunityGrid.Simulation.Community;
using CommunityGrid.Simulation.Profiles;

namespace CommunityGrid.Simulation.Governance;

/// <summary>
/// The simulated day's governance event (docs/simulation.md): at 06:00 a seeded member proposes switching the
/// pricing mechanism and, four minutes later, explains why in a statement; between 06:05 and 09:50 the houses vote by a seeded rule
/// (four in five take part; a PV house says yes with probability 0.7, a house without PV with 0.45; a few abstain).
/// The vote closes four hours after the proposal's block, the chain tallies it and, if it passed, settles from the
/// next interval boundary under the new mechanism. Everything is signed with the houses' member keys and goes
/// through the gateway like any transaction.
/// </summary>
public sealed class GovernanceScript
{
    public const int VotingPeriodSeconds = 4 * 3600;
    public const long ProposalAfterSeconds = 6 * 3600;
    private readonly List<(long AtSeconds, byte[] Transaction)> pending = [];
    private int next;

    private GovernanceScript(string proposer, string toMechanism, byte[] proposalId)
    {
        Proposer = proposer;
        ToMechanism = toMechanism;
        ProposalId = proposalId;
    }

    public string Proposer { get; }
    public string ToMechanism { get; }
    public byte[] ProposalId { get; }

    /// <summary>The rules the simulated community starts with: the defaults, with a vote that fits into a day.</summary>
    public static GovernanceRules Rules => new() { VotingPeriodSeconds = VotingPeriodSeconds };

    /// <summary>The mechanism the proposal switches to: mid-market rate from supply–demand ratio, else supply–demand ratio.</summary>
    public static string Alternative(string mechanism) => mechanism == "sdr" ? "mmr" : "sdr";

    /// <summary>Null when the simulated period ends before the vote could close and the change take effect.</summary>
    public static GovernanceScript? Plan(SimulatedCommunity community, long startSeconds, long endSeconds)
    {
        if (startSeconds + ProposalAfterSeconds + VotingPeriodSeconds + 2 * 3600 > endSeconds) return null;
        long seed = community.Options.Seed;
        Random draw = SeededRandom.For(seed, "governance");
        SimulatedHouse proposer = community.Houses[draw.Next(community.Houses.Count)];
        string chainId = community.Options.ChainId;
        string to = Alternative(community.Genesis.PricingMechanism);
        var change = new ParameterChangeEffect([new ParameterValue(9, ParameterRules.EncodeValue(to))]);
        var proposal = new ProposalPayload(chainId, 1, $"Switch the pricing mechanism to {to}",
            $"From {community.Genesis.PricingMechanism} to {to}: the internal price would follow the market's middle instead of our own supply and demand.", change);
        byte[] proposalTx = Sign(proposal, proposer.MemberKeySeed);
        var script = new GovernanceScript(proposer.HouseId, to, Hashes.Sha256(proposalTx));
        long at = startSeconds + ProposalAfterSeconds;
        script.pending.Add((at, proposalTx));
        // The statement names the proposal, so it is sent once the proposal can have committed (the gateway refuses a
        // statement on a proposal it does not know yet: UnknownProposal), and before any vote (the proposer's vote uses
        // the next nonce, and a lower nonce after a higher one would be refused as ReplayedNonce).
        script.pending.Add((at + 240, Sign(new StatementPayload(chainId, 2, $"I propose {to}: last month's bills under both mechanisms are on the notice board.", script.ProposalId, null), proposer.MemberKeySeed)));
        var votes = new List<(long, byte[])>();
        foreach (SimulatedHouse house in community.Houses)
        {
            Random rule = SeededRandom.For(seed, house.HouseId, "vote");
            if (rule.NextDouble() >= 0.8) continue;
            double yes = house.Traits.HasPv ? 0.7 : 0.45;
            double r = rule.NextDouble();
            VoteChoice choice = r < yes ? VoteChoice.Yes : r < 0.92 ? VoteChoice.No : VoteChoice.Abstain;
            long when = at + 300 + rule.Next(0, VotingPeriodSeconds - 900);
            long nonce = house.HouseId == proposer.HouseId ? 3 : 1;
            votes.Add((when, Sign(new VotePayload(chainId, nonce, script.ProposalId, choice), house.MemberKeySeed)));
        }
        votes.Sort((a, b) => a.Item1.CompareTo(b.Item1));
        script.pending.AddRange(votes);
        return script;
    }

    /// <summary>The transactions whose time has come by <paramref name="nowSeconds"/>, in order; each is handed out once.</summary>
    public IReadOnlyList<byte[]> Due(long nowSeconds)
    {
        var due = new List<byte[]>();
        while (next < pending.Count && pending[next].AtSeconds <= nowSeconds) due.Add(pending[next++].Transaction);
        return due;
    }

    private static byte[] Sign(AdminPayload payload, byte[] memberSeed)
    {
        using Ed25519Signer signer = Ed25519Signer.FromSeed(memberSeed);
        return CoseSign1Codec.Sign(payload.Encode(), TxContentTypes.Of(payload.Type), signer);
    }
}
