using System.Collections.Generic;

namespace CommunityGrid.Api;

/// <summary>
/// A gateway of a validator set of several, as /status and /metrics show it (docs/operations.md, "Several gateways").
/// </summary>
/// <param name="Height">The height being decided; 0 while there is nothing to decide.</param>
/// <param name="Step">propose, prevote, precommit, or idle.</param>
/// <param name="LastRounds">Rounds the last decided height took (1 = decided in its first round).</param>
/// <param name="LastCommitUnixMs">When this gateway last stored a decided or caught-up block (its clock), 0 before the first.</param>
/// <param name="HeightsDecided">Heights decided here since the process started (caught-up blocks not counted).</param>
/// <param name="RoundsTotal">Rounds those heights took together: RoundsTotal / HeightsDecided is rounds per height.</param>
public sealed record ConsensusFigures(
    long Height, int Round, string Step, int LastRounds, long LastCommitUnixMs, long HeightsDecided, long RoundsTotal,
    int Validators, IReadOnlyList<PeerFigure> Peers);

/// <param name="Key">The peer's validator key, hex.</param>
/// <param name="Height">The height of the peer's stored chain as it last told this gateway (its periodic sync status); null before it did.</param>
public sealed record PeerFigure(string Key, string Address, bool Connected, string? LastError, long? Height);
