using System;
using System.Collections.Generic;
using CommunityGrid.Api.Json;
using CommunityGrid.Chain.Blocks;
using CommunityGrid.Chain.Encoding;
using CommunityGrid.Chain.State;
using CommunityGrid.Storage;
using Microsoft.AspNetCore.Http;

namespace CommunityGrid.Api.Endpoints;

/// <summary>
/// GET /validators/changes (docs/api.md): what a client that trusts the set named by header <c>after</c> needs to follow
/// the set block by block (the adjacent-header rule, docs/meter.md "Light client"): every later header whose field 8
/// names another set than the header before it, with that set's members. The client checks each announcing header's
/// commit with the set it trusts and the offered members against field 8, so nothing here needs to be believed.
/// </summary>
internal static class ValidatorChangeQueries
{
    /// <summary>Headers read per request, so one request stays a bounded read; a client asks again from <c>to</c>.</summary>
    public const int MaxScan = 10_000;

    public static IResult Changes(IGatewayBackend backend, IQueryCollection query)
    {
        if (!Parameters.TryNonNegative(query["after"].Count == 0 ? "0" : query["after"].ToString(), out long after))
        {
            return Problems.Bad($"query parameter 'after' must be a block height (0 = genesis), got '{query["after"]}'");
        }
        long requestedTo = long.MaxValue;
        if (query["to"].Count > 0 && !Parameters.TryNonNegative(query["to"].ToString(), out requestedTo))
        {
            return Problems.Bad($"query parameter 'to' must be a block height, got '{query["to"]}'");
        }
        var response = backend.Read<ValidatorChangesResponse?>(store =>
        {
            if (after > store.Height) return null;
            long to = Math.Min(Math.Min(requestedTo, store.Height), after + MaxScan);
            return new ValidatorChangesResponse(after, Math.Max(to, after), Announcements(store, after, to));
        });
        return response is null
            ? Problems.Missing($"there is no block {after}: GET /status shows the chain's height")
            : Results.Json(response, ApiJsonContext.Web.ValidatorChangesResponse);
    }

    private static List<ValidatorChangeJson> Announcements(ChainStore store, long after, long to)
    {
        var changes = new List<ValidatorChangeJson>();
        ValidatorSet genesis = ValidatorSet.FromGenesis(store.Genesis);
        byte[] named = after == 0 ? genesis.Hash : store.GetBlock(after)!.Block.Header.ValidatorSetHash;
        ChainState? replay = null;
        for (long h = after + 1; h <= to; h++)
        {
            byte[] next = store.GetBlock(h)!.Block.Header.ValidatorSetHash;
            if (Hashes.Equal(next, named)) continue;
            named = next;
            changes.Add(Change(h, SetNamed(store, genesis, next, h, ref replay)));
        }
        return changes;
    }

    /// <summary>
    /// The set a header names: the tip's or the genesis set when it is one of them, else the state after block
    /// <paramref name="height"/> replayed from genesis (the store keeps no older states; set changes are rare,
    /// and the replay holds the store while it runs: only a client that missed more than one change since its last visit causes one).
    /// </summary>
    private static ValidatorSet SetNamed(ChainStore store, ValidatorSet genesis, byte[] hash, long height, ref ChainState? replay)
    {
        ValidatorSet tip = store.State.Validators;
        if (Hashes.Equal(hash, tip.Hash)) return tip;
        if (Hashes.Equal(hash, genesis.Hash)) return genesis;
        if (replay is null || replay.Height > height) replay = ChainState.FromGenesis(store.Genesis, store.State.Catalog);
        while (replay.Height < height) replay.ApplyBlock(store.GetBlock(replay.Height + 1)!.Block);
        return replay.Validators;
    }

    private static ValidatorChangeJson Change(long height, ValidatorSet set)
    {
        var validators = new List<ValidatorMemberJson>(set.Validators.Count);
        foreach (Validator v in set.Validators) validators.Add(new ValidatorMemberJson(Hashes.Hex(v.PublicKey), v.Address));
        return new ValidatorChangeJson(height, Hashes.Hex(set.Hash), validators);
    }
}
