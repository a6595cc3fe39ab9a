namespace CommunityGrid.Chain.Validation;

/// <summary>
/// Why a transaction was not applied. Stable numbers: they are logged, counted per meter and returned by the API.
/// New reasons are appended, never renumbered.
/// </summary>
public enum RejectionReason
{
    /// <summary>Not a COSE_Sign1 of the protocol's shape, or a payload that is not canonical CBOR of its type.</summary>
    MalformedCbor = 1,
    /// <summary>A content type the chain does not know, or one reserved for later (proposal, vote, split).</summary>
    UnknownTxType = 2,
    /// <summary>Well-formed, but a field breaks a value rule (id syntax, reference length, zero amount).</summary>
    InvalidField = 3,
    WrongChain = 4,
    BadSignature = 5,
    UnknownMeter = 6,
    /// <summary>The reading's kid is not the key the meter was enrolled with.</summary>
    WrongMeterKey = 7,
    /// <summary>Sequence not above the meter's last accepted one, and not a byte-identical duplicate of it.</summary>
    ReplayedSequence = 8,
    /// <summary>Interval earlier than the meter's last accepted interval: a meter's clock may not run backwards.</summary>
    IntervalOutOfOrder = 9,
    WrongIntervalLength = 10,
    FutureInterval = 11,
    StaleInterval = 12,
    DecreasingRegister = 13,
    /// <summary>The signer does not hold the role the transaction type needs (installer, treasurer).</summary>
    Unauthorized = 14,
    ReplayedNonce = 15,
    UnknownHouse = 16,
    HouseExists = 17,
    KeyInUse = 18,
    MeterExists = 19,
    /// <summary>An amount of zero or above the cap, or one that would take a balance beyond ±10^18.</summary>
    AmountOutOfRange = 20,
    /// <summary>
    /// A register advanced further than the connection's rated power (parameter maxConnectionPowerW) allows over the
    /// time since the meter's previous reading (or its enrolment), or the house's energy in one interval would exceed
    /// what settlement takes. A faulty sensor, a meter enrolled without its real initial registers, or a stolen key.
    /// </summary>
    ImplausibleEnergy = 21,
    /// <summary>Admitting the house would take the community beyond the houses one interval's settlement takes.</summary>
    CommunityFull = 22,
    /// <summary>
    /// Applying the transaction raised an error: a bug in the rules, which are meant to refuse everything they cannot
    /// apply. The transaction is dropped so that block production goes on; report it.
    /// </summary>
    ExecutionFailed = 23,

    /// <summary>Double-sign evidence that does not prove an offence by a validator of the set (consensus.md §2.4).</summary>
    InvalidEvidence = 24,

    /// <summary>The offence this evidence proves is already recorded (by another gateway's report, typically).</summary>
    EvidenceAlreadyRecorded = 25,

    // Governance (docs/governance.md §5); 30..39 are reserved for it.
    /// <summary>No proposal (or, for a payout, no spending proposal) with that id.</summary>
    UnknownProposal = 30,
    /// <summary>A vote in a block whose time is at or after the proposal's close.</summary>
    VotingClosed = 31,
    /// <summary>The house already has as many open proposals as the rules allow.</summary>
    TooManyOpenProposals = 32,
    /// <summary>A fund payout for a spending proposal that has not passed (yet).</summary>
    ProposalNotPassed = 33,
    /// <summary>A fund payout above what the passed proposal still allows.</summary>
    ExceedsProposal = 34,
    /// <summary>A payout, or a proposed spending, larger than the community fund.</summary>
    FundInsufficient = 35,
    /// <summary>A proposal whose effect would change nothing or cannot apply (e.g. removing a key that holds no role).</summary>
    ProposalWithoutEffect = 36,
    /// <summary>A statement following a statement that does not exist.</summary>
    UnknownStatement = 37,

    // Breakaway (docs/breakaway.md §3); 40..49 are reserved for it.
    /// <summary>The house has already signed an exit.</summary>
    AlreadyExited = 40,
    /// <summary>An exit from an interval that has closed or is open now, or into which the house's meters already reported.</summary>
    ExitBackdated = 41,
    /// <summary>A reading of a meter whose house has left: for its exit interval or later, or any once the exit is final.</summary>
    MeterRetired = 42,
    /// <summary>An exit settlement for a house without a final exit record.</summary>
    UnknownExit = 43,
    /// <summary>An exit settlement against a record that is settled and closed.</summary>
    ExitClosed = 44,
    /// <summary>An exit settlement in the wrong direction or above the record's open amount.</summary>
    ExceedsOpenAmount = 45,
}

public enum TxStatus
{
    Applied,
    /// <summary>The same transaction bytes are already in the chain: acknowledge again, change nothing.</summary>
    AlreadyApplied,
    Rejected,
}

/// <param name="Detail">Human-readable specifics for logs; not part of consensus.</param>
public sealed record TxOutcome(TxStatus Status, RejectionReason? Reason, string Detail)
{
    public static readonly TxOutcome Applied = new(TxStatus.Applied, null, "applied");

    public static TxOutcome Duplicate(string detail) => new(TxStatus.AlreadyApplied, null, detail);

    public static TxOutcome Reject(RejectionReason reason, string detail) => new(TxStatus.Rejected, reason, detail);

    public override string ToString() => Reason is null ? $"{Status}: {Detail}" : $"{Status} {Reason}: {Detail}";
}
