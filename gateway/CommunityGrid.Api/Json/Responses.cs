using System.Collections.Generic;

namespace CommunityGrid.Api.Json;

// The API's bodies. Bytes are lowercase hex; times are Unix milliseconds (blocks) or seconds (intervals), as on
// the chain; money is minor units. Field meanings are documented with examples in docs/api.md.

/// <summary>RFC 9457 problem details; <see cref="TxId"/> is an extension member set when a submission failed.</summary>
/// <param name="Reason">For a rejected transaction: the chain's reason name (docs/chain.md §4), e.g. "ReplayedNonce".</param>
/// <param name="ReasonCode">Its stable number.</param>
public sealed record ApiProblem(string Type, string Title, int Status, string Detail, string? Instance = null, string? TxId = null, string? Reason = null, int? ReasonCode = null);

public sealed record StatusResponse(
    string ChainId,
    string GenesisHash,
    long Height,
    string TipHash,
    long TipTimeMs,
    string TipTime,
    int IntervalSeconds,
    long? LastClosedIntervalStart,
    long NextIntervalStart,
    long IntervalLagSeconds,
    bool ReadOnly,
    string Currency,
    int MinorUnitDigits,
    ConsensusFigures? Consensus = null);

public sealed record BlockHeaderJson(
    string ChainId,
    long Height,
    long TimeMs,
    string PreviousHash,
    string TxRoot,
    string StateRoot,
    string SettlementRoot,
    string ValidatorSetHash,
    string Proposer,
    string PreviousCommitHash);

public sealed record HouseSettlementJson(
    string HouseId, long ImportWh, long ExportWh, long ImportInternalWh, long ExportInternalWh, long Cost, long Revenue, long Net);

public sealed record SettlementJson(
    long IntervalStart,
    int IntervalSeconds,
    string Mechanism,
    IReadOnlyList<HouseSettlementJson> Houses,
    long GridImportWh,
    long GridExportWh,
    long GridCost,
    long GridRevenue,
    long FundIncome,
    long InternalWh,
    long? InternalPriceMicros);

public sealed record CommitSignatureJson(string ValidatorKey, string Signature);

/// <param name="HeaderCbor">The header's canonical bytes: SHA-256 of them is <paramref name="Hash"/>, which the commit signs.</param>
/// <param name="CommitRound">The consensus round whose precommits make up <paramref name="Commit"/> (signed with them).</param>
/// <param name="CommitCbor">The commit certificate's canonical bytes (consensus.md §2.3), as light clients take it.</param>
public sealed record BlockResponse(
    long Height,
    string Hash,
    BlockHeaderJson Header,
    string HeaderCbor,
    IReadOnlyList<string> TxIds,
    IReadOnlyList<SettlementJson> Settlements,
    IReadOnlyList<CommitSignatureJson> Commit,
    int CommitRound,
    string CommitCbor);

public sealed record ReadingSummary(
    string ChainId, string MeterId, long Sequence, long IntervalStart, int IntervalLengthSeconds,
    long ImportWh, long ExportWh, long PvWh, string FirmwareVersion);

public sealed record EnrolMeterSummary(
    string ChainId, long Nonce, string MeterId, string MeterKey, string HouseId, string Role,
    long InitialImportWh, long InitialExportWh, long InitialPvWh);

public sealed record AdmitMemberSummary(string ChainId, long Nonce, string HouseId, string MemberKey);

public sealed record PaymentSummary(string ChainId, long Nonce, string HouseId, string Kind, long Amount, string Reference);

/// <summary>Where a transaction sits: leaf <see cref="LeafIndex"/> of <see cref="TreeSize"/> under the block's tx root.</summary>
public sealed record InclusionProofJson(int LeafIndex, int TreeSize, IReadOnlyList<string> Path, string TxRoot);

/// <summary>Exactly one of the summaries is present, the one of <see cref="Type"/>.</summary>
public sealed record TransactionResponse(
    string TxId,
    string Type,
    int TypeCode,
    string Signer,
    string Bytes,
    long Height,
    int Index,
    string BlockHash,
    InclusionProofJson Proof,
    ReadingSummary? Reading = null,
    EnrolMeterSummary? EnrolMeter = null,
    AdmitMemberSummary? AdmitMember = null,
    PaymentSummary? Payment = null);

public sealed record ReadingJson(
    long Sequence, long IntervalStart, long ImportWh, long ExportWh, long PvWh, string TxId, long Height, int Index);

/// <param name="NextAfter">Pass as <c>after</c> to get the next page; null when this page is the last.</param>
public sealed record ReadingsResponse(string MeterId, string HouseId, IReadOnlyList<ReadingJson> Readings, long? NextAfter);

/// <param name="Value">The state value's CBOR (an int) as hex.</param>
/// <param name="Leaf">CBOR <c>[key, value]</c>: the Merkle leaf the path starts from.</param>
public sealed record StateProofJson(string Key, string Value, string Leaf, int LeafIndex, int TreeSize, IReadOnlyList<string> Path);

/// <param name="StateRoot">The state root of the block at <paramref name="Height"/> (of the genesis state at height 0).</param>
public sealed record BalanceResponse(
    string HouseId, long Balance, string Currency, int MinorUnitDigits, long Height, string BlockHash, string StateRoot, StateProofJson Proof);

/// <param name="Encoded">The result's canonical CBOR as recorded in block <paramref name="Height"/>: the leaf <paramref name="Proof"/> starts from.</param>
public sealed record SettlementResponse(long Height, string Currency, int MinorUnitDigits, SettlementJson Settlement, string Encoded, SettlementProofJson Proof);

/// <summary>Where a settlement result sits: leaf <see cref="LeafIndex"/> of <see cref="TreeSize"/> under the block header's settlement root.</summary>
public sealed record SettlementProofJson(int LeafIndex, int TreeSize, IReadOnlyList<string> Path, string SettlementRoot);

/// <param name="LastNonce">The last nonce this key used in a committed transaction (0 before its first); send a larger one.</param>
public sealed record SignerResponse(
    string PublicKey, long LastNonce, IReadOnlyList<string> Roles, string? HouseId, string? MeterId, long Height);

/// <summary>A submission as JSON: the COSE_Sign1 bytes as hex.</summary>
public sealed record SubmitRequest(string? Hex);

public sealed record SubmitResponse(string TxId, string Status, string Detail);
