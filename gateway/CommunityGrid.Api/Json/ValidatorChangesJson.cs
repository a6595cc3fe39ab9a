using System.Collections.Generic;

namespace CommunityGrid.Api.Json;

/// <summary>GET /validators/changes: the headers, after <paramref name="After"/> up to <paramref name="To"/>, that announce a new validator set.</summary>
/// <param name="To">How far the gateway looked (at most the tip, and a bounded number of blocks per request): ask again from here for more.</param>
public sealed record ValidatorChangesResponse(long After, long To, IReadOnlyList<ValidatorChangeJson> Changes);

/// <param name="Height">The block whose header's field 8 first names this set: it signs the blocks after this one.</param>
/// <param name="Hash">SHA-256 of the set's canonical encoding, as that header names it.</param>
public sealed record ValidatorChangeJson(long Height, string Hash, IReadOnlyList<ValidatorMemberJson> Validators);

/// <summary>One member of a set, as the set's encoding holds it (docs/chain.md §1).</summary>
public sealed record ValidatorMemberJson(string PublicKey, string Address);
