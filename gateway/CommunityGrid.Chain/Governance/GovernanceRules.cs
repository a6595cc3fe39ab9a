using System.Collections.Generic;
using System.Formats.Cbor;
using System.Text.Json.Serialization;
using CommunityGrid.Chain.Encoding;

namespace CommunityGrid.Chain.Governance;

/// <summary>How a passed proposal's house joins: admitted by a treasurer key, or only by a passed proposal.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<MemberAdmission>))]
public enum MemberAdmission
{
    [JsonStringEnumMemberName("treasurer")] Treasurer = 1,
    [JsonStringEnumMemberName("vote")] Vote = 2,
}

/// <summary>
/// The voting rules, part of the chain parameters (canonical parameters-map keys 20..26, docs/governance.md).
/// Genesis sets them; afterwards only a passed proposal under the strict threshold changes them.
/// A proposal passes when turnout × 1000 ≥ quorum × electorate and yes × 1000 &gt; threshold × (yes + no).
/// </summary>
public sealed record GovernanceRules
{
    public const int FirstKey = 20;
    public const int LastKey = 26;
    public const int EntryCount = LastKey - FirstKey + 1;
    public const int MinVotingPeriodSeconds = 10;
    public const int MaxVotingPeriodSeconds = 90 * 86400;
    public const int DefaultVotingPeriodSeconds = 7 * 86400;
    public const int DefaultQuorumPermille = 300;
    public const int DefaultThresholdPermille = 500;
    public const int DefaultStrictThresholdPermille = 666;
    public const int DefaultMaxOpenProposalsPerHouse = 3;

    public static GovernanceRules Default { get; } = new();

    public GovernanceRules()
    {
    }

    /// <summary>
    /// What the genesis file's reader constructs with, so an omitted field keeps its default: System.Text.Json's source
    /// generator would set an omitted init-only property to zero (dotnet/runtime#84484; <see cref="Genesis.GenesisDocument"/>).
    /// </summary>
    [JsonConstructor]
    public GovernanceRules(
        int votingPeriodSeconds = DefaultVotingPeriodSeconds, int quorumPermille = DefaultQuorumPermille,
        int thresholdPermille = DefaultThresholdPermille, int strictThresholdPermille = DefaultStrictThresholdPermille,
        int maxOpenProposalsPerHouse = DefaultMaxOpenProposalsPerHouse, int effectDelayIntervals = 0,
        MemberAdmission memberAdmission = MemberAdmission.Treasurer)
    {
        VotingPeriodSeconds = votingPeriodSeconds;
        QuorumPermille = quorumPermille;
        ThresholdPermille = thresholdPermille;
        StrictThresholdPermille = strictThresholdPermille;
        MaxOpenProposalsPerHouse = maxOpenProposalsPerHouse;
        EffectDelayIntervals = effectDelayIntervals;
        MemberAdmission = memberAdmission;
    }

    /// <summary>Key 20: how long a proposal is open for votes, from the time of the block that records it.</summary>
    public int VotingPeriodSeconds { get; init; } = DefaultVotingPeriodSeconds;
    /// <summary>Key 21: share of member houses that must vote (yes, no or abstain), permille.</summary>
    public int QuorumPermille { get; init; } = DefaultQuorumPermille;
    /// <summary>Key 22: yes must be more than this share of yes + no, permille; 500 = simple majority.</summary>
    public int ThresholdPermille { get; init; } = DefaultThresholdPermille;
    /// <summary>Key 23: the threshold for the voting rules themselves, members and validators; 666 = two thirds.</summary>
    public int StrictThresholdPermille { get; init; } = DefaultStrictThresholdPermille;
    /// <summary>Key 24: how many open proposals one house may have at a time (against spam).</summary>
    public int MaxOpenProposalsPerHouse { get; init; } = DefaultMaxOpenProposalsPerHouse;
    /// <summary>Key 25: whole intervals between the boundary after the tally and the boundary a passed change takes effect at.</summary>
    public int EffectDelayIntervals { get; init; }
    /// <summary>Key 26: 1 treasurer or 2 vote.</summary>
    public MemberAdmission MemberAdmission { get; init; } = MemberAdmission.Treasurer;

    public void WriteEntries(CborWriter w)
    {
        w.WriteInt32(20); w.WriteInt32(VotingPeriodSeconds);
        w.WriteInt32(21); w.WriteInt32(QuorumPermille);
        w.WriteInt32(22); w.WriteInt32(ThresholdPermille);
        w.WriteInt32(23); w.WriteInt32(StrictThresholdPermille);
        w.WriteInt32(24); w.WriteInt32(MaxOpenProposalsPerHouse);
        w.WriteInt32(25); w.WriteInt32(EffectDelayIntervals);
        w.WriteInt32(26); w.WriteInt32((int)MemberAdmission);
    }

    public static GovernanceRules ReadEntries(CborReader r, string what)
    {
        Cbor.ReadKey(r, 20, what); int period = r.ReadInt32();
        Cbor.ReadKey(r, 21, what); int quorum = r.ReadInt32();
        Cbor.ReadKey(r, 22, what); int threshold = r.ReadInt32();
        Cbor.ReadKey(r, 23, what); int strict = r.ReadInt32();
        Cbor.ReadKey(r, 24, what); int maxOpen = r.ReadInt32();
        Cbor.ReadKey(r, 25, what); int delay = r.ReadInt32();
        Cbor.ReadKey(r, 26, what); int admission = r.ReadInt32();
        return new GovernanceRules
        {
            VotingPeriodSeconds = period, QuorumPermille = quorum, ThresholdPermille = threshold, StrictThresholdPermille = strict,
            MaxOpenProposalsPerHouse = maxOpen, EffectDelayIntervals = delay, MemberAdmission = (MemberAdmission)admission,
        };
    }

    /// <summary>Every broken rule, each naming its field (genesis JSON names, prefixed).</summary>
    public IReadOnlyList<string> FindProblems(string prefix)
    {
        var problems = new List<string>();
        void Check(bool ok, string problem) { if (!ok) problems.Add(prefix + problem); }
        Check(VotingPeriodSeconds is >= MinVotingPeriodSeconds and <= MaxVotingPeriodSeconds,
            $"votingPeriodSeconds must be {MinVotingPeriodSeconds}..{MaxVotingPeriodSeconds} (90 days), got {VotingPeriodSeconds}");
        Check(QuorumPermille is >= 0 and <= 1000, $"quorumPermille must be 0..1000, got {QuorumPermille}");
        // 1000 could never pass: yes × 1000 > 1000 × (yes + no) is impossible.
        Check(ThresholdPermille is >= 0 and <= 999, $"thresholdPermille must be 0..999, got {ThresholdPermille}");
        Check(StrictThresholdPermille >= ThresholdPermille && StrictThresholdPermille <= 999,
            $"strictThresholdPermille must be thresholdPermille..999, got {StrictThresholdPermille}");
        Check(MaxOpenProposalsPerHouse is >= 1 and <= 100, $"maxOpenProposalsPerHouse must be 1..100, got {MaxOpenProposalsPerHouse}");
        Check(EffectDelayIntervals is >= 0 and <= 100_000, $"effectDelayIntervals must be 0..100000, got {EffectDelayIntervals}");
        Check(MemberAdmission is MemberAdmission.Treasurer or MemberAdmission.Vote, $"memberAdmission must be treasurer or vote, got {(int)MemberAdmission}");
        return problems;
    }
}
