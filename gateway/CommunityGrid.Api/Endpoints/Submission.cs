using System;
using System.IO;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using CommunityGrid.Api.Json;
using CommunityGrid.Chain.Encoding;
using CommunityGrid.Chain.Transactions;
using CommunityGrid.Chain.Validation;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace CommunityGrid.Api.Endpoints;

/// <summary>POST /transactions: a COSE_Sign1 transaction, raw (application/cbor) or as JSON {"hex": "…"}.</summary>
internal static class Submission
{
    /// <summary>Far above any transaction the chain knows (a reading is under 200 bytes), and small enough that a request cannot hog memory.</summary>
    public const int MaxTransactionBytes = 16 * 1024;
    private const int MaxJsonBytes = MaxTransactionBytes * 2 + 1024;

    public static async Task<IResult> Submit(IGatewayBackend backend, HttpRequest request, CancellationToken cancel)
    {
        if (backend.ReadOnly) return Problems.WritesRefused(backend.ChainId);
        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out MediaTypeHeaderValue? mediaType))
        {
            return UnsupportedMediaType($"the request has no usable Content-Type ('{request.ContentType}')");
        }
        bool isCbor = mediaType.MediaType.Equals("application/cbor", StringComparison.OrdinalIgnoreCase);
        bool isJson = mediaType.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase);
        if (!isCbor && !isJson) return UnsupportedMediaType($"Content-Type '{mediaType.MediaType}' is not accepted");

        byte[]? body = await ReadLimited(request, isCbor ? MaxTransactionBytes : MaxJsonBytes, cancel);
        if (body is null)
        {
            return Problems.Create(Problems.TooLarge, "Transaction too large", StatusCodes.Status413PayloadTooLarge,
                $"a transaction is at most {MaxTransactionBytes} bytes; this is not a CommunityGrid transaction");
        }
        string? jsonProblem = null;
        byte[]? tx = isCbor ? body : FromJson(body, out jsonProblem);
        if (tx is null) return Malformed(jsonProblem!);
        if (tx.Length == 0) return Malformed("the body is empty; send the signed transaction's bytes");

        if (Transaction.TryDecode(tx, out TxOutcome? rejection) is null)
        {
            return Malformed($"{rejection!.Reason}: {rejection.Detail}", Hashes.Hex(Hashes.Sha256(tx)));
        }
        SubmitOutcome outcome = backend.Submit(tx);
        if (!outcome.Accepted)
        {
            return Problems.Rejected(StatusCodes.Status422UnprocessableEntity,
                $"the gateway did not accept the transaction: {outcome.Reason}. Fix what the reason names and sign a new transaction (with a new nonce for administrative ones).",
                outcome.TxId, outcome.Rejection);
        }
        string location = "/transactions/" + outcome.TxId;
        var accepted = new SubmitResponse(outcome.TxId, "pending",
            $"accepted into the mempool (it applies to the chain's tip now); GET {location} returns it once its block commits, or 410 with the reason if it no longer applies then");
        return new WithLocation(Results.Json(accepted, ApiJsonContext.Web.SubmitResponse, statusCode: StatusCodes.Status202Accepted), location);
    }

    private static byte[]? FromJson(byte[] body, out string? problem)
    {
        problem = null;
        SubmitRequest? request;
        try
        {
            request = JsonSerializer.Deserialize(body, ApiJsonContext.Web.SubmitRequest);
        }
        catch (JsonException e)
        {
            problem = $"the JSON body does not parse ({e.Message}); send {{\"hex\": \"<transaction bytes as hex>\"}}";
            return null;
        }
        if (request?.Hex is not { } hex)
        {
            problem = "the JSON body has no \"hex\" field; send {\"hex\": \"<transaction bytes as hex>\"}";
            return null;
        }
        try
        {
            return Convert.FromHexString(hex.Trim());
        }
        catch (FormatException)
        {
            problem = "\"hex\" is not an even number of hex digits; send the transaction's bytes as hex";
            return null;
        }
    }

    /// <summary>The body, or null when it exceeds <paramref name="limit"/> bytes (checked while reading, not trusting Content-Length).</summary>
    private static async Task<byte[]?> ReadLimited(HttpRequest request, int limit, CancellationToken cancel)
    {
        if (request.ContentLength > limit) return null;
        using var buffer = new MemoryStream();
        byte[] chunk = new byte[8192];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancel)) > 0)
        {
            if (buffer.Length + read > limit) return null;
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }

    private static IResult Malformed(string detail, string? txId = null) =>
        Problems.Create(Problems.MalformedTransaction, "Malformed transaction", StatusCodes.Status400BadRequest,
            $"the body is not a CommunityGrid transaction: {detail}", txId);

    private static IResult UnsupportedMediaType(string problem) =>
        Problems.Create(Problems.UnsupportedMediaType, "Unsupported media type", StatusCodes.Status415UnsupportedMediaType,
            $"{problem}; send the raw COSE_Sign1 bytes as application/cbor, or JSON {{\"hex\": \"…\"}} as application/json");

    /// <summary>Adds a Location header pointing at where the transaction will appear.</summary>
    private sealed class WithLocation(IResult inner, string location) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.Headers.Location = location;
            return inner.ExecuteAsync(httpContext);
        }
    }
}
