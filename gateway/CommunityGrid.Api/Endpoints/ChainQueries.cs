using System;
using System.Globalization;
using CommunityGrid.Api.Json;
using CommunityGrid.Chain.Encoding;
using CommunityGrid.Chain.State;
using CommunityGrid.Chain.Transactions;
using CommunityGrid.Storage;
using Microsoft.AspNetCore.Http;

namespace CommunityGrid.Api.Endpoints;

/// <summary>GET /status, /blocks/{height}, /transactions/{txId}.</summary>
internal static class ChainQueries
{
    public static IResult Status(IGatewayBackend backend, TimeProvider clock)
    {
        long nowSeconds = clock.GetUtcNow().ToUnixTimeSeconds();
        bool readOnly = backend.ReadOnly;
        StatusResponse status = backend.Read(store =>
        {
            ChainState state = store.State;
            StateView view = state.View();
            ChainParameters p = view.Parameters;
            long next = view.NextInterval;
            long genesisSeconds = store.Genesis.GenesisTimeMs / 1000;
            long firstInterval = genesisSeconds - genesisSeconds % store.Genesis.IntervalSeconds;
            return new StatusResponse(state.ChainId, Hashes.Hex(state.GenesisHash), state.Height, Hashes.Hex(state.TipHash), state.TipTimeMs,
                DateTimeOffset.FromUnixTimeMilliseconds(state.TipTimeMs).ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture),
                p.IntervalSeconds, next > firstInterval ? next - p.IntervalSeconds : null, next,
                GatewayMetrics.LagSeconds(next, p.IntervalSeconds, p.GraceSeconds, nowSeconds), readOnly,
                store.Genesis.Currency, store.Genesis.MinorUnitDigits);
        });
        return Results.Json(status, ApiJsonContext.Web.StatusResponse);
    }

    public static IResult Block(IGatewayBackend backend, string heightText)
    {
        if (!Parameters.TryNonNegative(heightText, out long height) || height < 1)
        {
            return Problems.Bad($"block height must be a whole number of at least 1 (the chain starts at block 1), got '{heightText}'");
        }
        (StoredBlock? block, long tip) = backend.Read(store => (store.GetBlock(height), store.Height));
        if (block is null)
        {
            return Problems.Missing($"there is no block {height}: the chain's height is {tip}; GET /status shows the current height");
        }
        return Results.Json(ChainJson.Block(block.Block, block.Hash), ApiJsonContext.Web.BlockResponse);
    }

    public static IResult Transaction(IGatewayBackend backend, string txIdText)
    {
        if (!Parameters.TryHash(txIdText, out byte[] id))
        {
            return Problems.Bad($"a transaction id is the SHA-256 of its bytes as 64 hex digits, got '{txIdText}'");
        }
        StoredTransaction? stored = backend.Read(store => store.GetTransaction(id));
        if (stored is null) return NotInChain(backend, Hashes.Hex(id));
        // Stored transactions come from verified blocks, so they decode.
        Transaction tx = Chain.Transactions.Transaction.Decode(stored.Bytes);
        return Results.Json(ChainJson.Transaction(tx, stored.Height, stored.Index, stored.TxCount, stored.Proof, stored.Header),
            ApiJsonContext.Web.TransactionResponse);
    }

    /// <summary>404 while it waits or is unknown; 410 once the producer dropped it, with the reason (it will never commit).</summary>
    private static IResult NotInChain(IGatewayBackend backend, string idHex) => backend.Uncommitted(idHex) switch
    {
        { Pending: true } => Problems.Missing($"transaction {idHex} waits in this gateway's mempool; it appears here once its block commits, so retry after the next block"),
        { Reason: { } reason } rejected => Problems.Rejected(StatusCodes.Status410Gone,
            $"transaction {idHex} was rejected at block time (height {rejected.Height}): {reason}: {rejected.Detail}. It will never be in the chain; fix what the reason names and sign a new transaction (with a new nonce for administrative ones).",
            idHex, reason),
        _ => Problems.Missing($"no transaction {idHex} is in the chain or waits in this gateway's mempool (a restarted gateway forgets earlier rejections); submit it with POST /transactions"),
    };
}
