using CommunityGrid.Api.Json;
using Microsoft.AspNetCore.Http;

namespace CommunityGrid.Api;

/// <summary>RFC 9457 problem+json responses. Each detail says what was wrong and what to do instead.</summary>
public static class Problems
{
    public const string ContentType = "application/problem+json";
    private const string TypePrefix = "urn:communitygrid:problem:";

    public const string BadParameter = TypePrefix + "bad-parameter";
    public const string NotFound = TypePrefix + "not-found";
    public const string MalformedTransaction = TypePrefix + "malformed-transaction";
    public const string RejectedTransaction = TypePrefix + "rejected-transaction";
    public const string UnsupportedMediaType = TypePrefix + "unsupported-media-type";
    public const string TooLarge = TypePrefix + "too-large";
    public const string ReadOnly = TypePrefix + "read-only";

    public static IResult Bad(string detail) => Create(BadParameter, "Bad parameter", StatusCodes.Status400BadRequest, detail);

    public static IResult Missing(string detail) => Create(NotFound, "Not found", StatusCodes.Status404NotFound, detail);

    /// <summary>403: this gateway serves a stored chain and takes no writes (<see cref="IGatewayBackend.ReadOnly"/>).</summary>
    public static IResult WritesRefused(string chainId) => Create(ReadOnly, "Read-only gateway", StatusCodes.Status403Forbidden,
        $"this gateway serves chain '{chainId}' read-only (cgrid gateway run --read-only): it produces no blocks and takes no transactions. Submit to a gateway of the community that runs with its validator key.");

    public static IResult Create(string type, string title, int status, string detail, string? txId = null) =>
        Results.Json(new ApiProblem(type, title, status, detail, TxId: txId), ApiJsonContext.Web.ApiProblem, ContentType, status);

    /// <summary>A transaction the chain's rules refuse, with the reason as its own members so clients need not parse the detail.</summary>
    public static IResult Rejected(int status, string detail, string txId, Chain.Validation.RejectionReason? reason) =>
        Results.Json(new ApiProblem(RejectedTransaction, "Transaction rejected", status, detail, TxId: txId, Reason: reason?.ToString(), ReasonCode: (int?)reason),
            ApiJsonContext.Web.ApiProblem, ContentType, status);
}
