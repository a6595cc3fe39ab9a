using System.Collections.Generic;

namespace CommunityGrid.Api.Json;

// Bodies of GET /houses, /meters and /houses/{id}/statement (docs/api.md "Houses, meters and statements").

public sealed record HouseJson(string HouseId, string MemberKey, long Balance, IReadOnlyList<string> Meters);

public sealed record HousesResponse(IReadOnlyList<HouseJson> Houses, string Currency, int MinorUnitDigits, long Height);

/// <param name="LastIntervalStart">The interval of the meter's latest committed reading (Unix s); 0 before its first.</param>
/// <param name="Rejected">Readings of this meter this gateway rejected since it started, by reason (docs/chain.md §4).</param>
public sealed record MeterJson(
    string MeterId, string HouseId, string Role, string PublicKey, long LastSequence, long LastIntervalStart,
    long ImportWh, long ExportWh, long PvWh, long? LastCommittedAtSeconds, IReadOnlyList<RejectedReadingsJson> Rejected);

public sealed record RejectedReadingsJson(string Reason, long Count);

public sealed record MetersResponse(IReadOnlyList<MeterJson> Meters, long Height);

/// <summary>
/// One interval, one day or the whole period of a house's statement. Grid energy is what the house's import and
/// export were beyond what it traded inside the community. Money: the house paid <see cref="Cost"/> and received
/// <see cref="Revenue"/>; <see cref="GridAlone"/> is what it would have paid the utility with the grid alone.
/// </summary>
public sealed record StatementLineJson(
    long ImportWh, long ExportWh, long ImportInternalWh, long ExportInternalWh, long ImportGridWh, long ExportGridWh,
    long Cost, long Revenue, long Net, long GridAlone, long Saving);

public sealed record StatementIntervalJson(long IntervalStart, long Height, string Mechanism, long? InternalPriceMicros, StatementLineJson Line);

/// <param name="Date">The local date (yyyy-MM-dd at the statement's UTC offset).</param>
public sealed record StatementDayJson(string Date, int Intervals, StatementLineJson Line);

public sealed record StatementResponse(
    string HouseId, long From, long To, int OffsetMinutes, string Currency, int MinorUnitDigits, long RetailPrice, long FeedInPrice,
    IReadOnlyList<StatementIntervalJson> Intervals, IReadOnlyList<StatementDayJson> Days, StatementLineJson Total, long Height);

/// <summary>The community's energy and money over an interval, a day or a period (docs/api.md "Community totals").</summary>
/// <param name="SelfSufficiencyPermille">Share of the community's net demand met inside: internal / (internal + grid import), permille.</param>
/// <param name="SelfConsumptionPermille">Share of the community's net supply used inside: internal / (internal + grid export), permille.</param>
public sealed record CommunityLineJson(
    int Intervals, long ImportWh, long ExportWh, long InternalWh, long GridImportWh, long GridExportWh, long GridCost, long GridRevenue,
    long FundIncome, long HousesPaid, long GridAlone, long Saving, int? SelfSufficiencyPermille, int? SelfConsumptionPermille);

public sealed record CommunityDayJson(string Date, CommunityLineJson Line);

public sealed record CommunityTotalsResponse(
    long From, long To, int OffsetMinutes, string Currency, int MinorUnitDigits, long RetailPrice, long FeedInPrice,
    IReadOnlyList<CommunityDayJson> Days, CommunityLineJson Total, long Height);

/// <param name="Hash">SHA-256 of the set's canonical CBOR [[key, address], ...] (docs/chain.md §1): what block headers name.</param>
public sealed record ValidatorsResponse(IReadOnlyList<ValidatorJson> Validators, string Hash, int Quorum, long Height);

/// <param name="LastSignedHeight">The newest of the last <c>ValidatorActivityWindow</c> blocks whose commit carries this validator's precommit; null if none does.</param>
/// <param name="Evidence">Double-signing offences recorded on the chain against this validator (docs/consensus.md, evidence).</param>
public sealed record ValidatorJson(string PublicKey, string Address, long? LastSignedHeight, int Evidence);
