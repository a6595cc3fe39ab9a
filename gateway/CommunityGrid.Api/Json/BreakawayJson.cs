using System.Collections.Generic;

namespace CommunityGrid.Api.Json;

/// <summary>
/// GET /houses/{id}/exit: a house's exit record (docs/breakaway.md §3) with what is owed, settled and still open, and
/// the proof of the record against the tip header's state root.
/// </summary>
/// <param name="Status">announced, final or closed (final and fully settled).</param>
/// <param name="Owed">final balance + fund share: positive, the community owes the house; negative, the house owes the community.</param>
/// <param name="Settled">Sum of the treasurer's settling payments: paid to the house positive, received from it negative.</param>
/// <param name="Open">owed − settled; 0 when closed.</param>
public sealed record ExitResponse(
    string HouseId, string NewChainId, long ExitIntervalStart, string Status, string ExitTxId, string MemberKey,
    long FinalBalance, long FundShare, long Owed, long Settled, long Open, string Currency, int MinorUnitDigits,
    IReadOnlyList<ExitMeterJson> Meters, string RecordHash, long Height, string BlockHash, string StateRoot, StateProofJson Proof);

public sealed record ExitMeterJson(string MeterId, string PublicKey, string Role, long LastSequence, long LastIntervalStart, long ImportWh, long ExportWh, long PvWh);
