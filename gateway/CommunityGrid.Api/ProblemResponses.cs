using System;
using System.Threading.Tasks;
using CommunityGrid.Api.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CommunityGrid.Api;

/// <summary>
/// Every error the API host answers is a problem+json (RFC 9457), not only those the handlers write: an unknown
/// path (404), a method the path does not take (405), a request target that is too long (414) and an unexpected
/// failure (500) would otherwise leave the body empty (issue 11, case 11).
/// </summary>
public static class ProblemResponses
{
    /// <summary>Longest path plus query the API takes; its longest real URL is well under 200 characters.</summary>
    public const int MaxTargetLength = 8 * 1024;

    /// <summary>Kestrel's request-line limit must be above <see cref="MaxTargetLength"/> so that this middleware, not Kestrel's bodyless 414, answers.</summary>
    public const int KestrelRequestLineLimit = 1024 * 1024;

    public const string EndpointNotFound = "urn:communitygrid:problem:no-such-endpoint";
    public const string MethodNotAllowed = "urn:communitygrid:problem:method-not-allowed";
    public const string TargetTooLong = "urn:communitygrid:problem:uri-too-long";
    public const string InternalError = "urn:communitygrid:problem:internal-error";

    /// <summary>Add before the API's endpoints run (first in the pipeline).</summary>
    public static IApplicationBuilder UseGatewayProblems(this IApplicationBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        ILogger logger = app.ApplicationServices.GetService<ILoggerFactory>()?.CreateLogger("CommunityGrid.Api") ?? Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;
        return app.Use(async (context, next) =>
        {
            HttpRequest request = context.Request;
            int targetLength = request.Path.Value?.Length + request.QueryString.Value?.Length ?? 0;
            if (targetLength > MaxTargetLength)
            {
                await Write(context, TargetTooLong, "URI too long", StatusCodes.Status414UriTooLong,
                    $"the path and query are {targetLength} characters; the API takes at most {MaxTargetLength} (its endpoints are listed in docs/api.md)");
                return;
            }
            try
            {
                await next(context);
            }
            catch (Exception e) when (!context.Response.HasStarted && !context.RequestAborted.IsCancellationRequested)
            {
                logger.LogError(e, "http {Method} {Path} failed", request.Method, request.Path);
                await Write(context, InternalError, "Internal error", StatusCodes.Status500InternalServerError,
                    "the gateway failed to answer this request; its log has the details. Retry later, and report it if it persists");
                return;
            }
            if (context.Response.HasStarted || context.Response.StatusCode < 400 || context.Response.ContentType is not null) return;
            switch (context.Response.StatusCode)
            {
                case StatusCodes.Status404NotFound:
                    await Write(context, EndpointNotFound, "No such endpoint", StatusCodes.Status404NotFound,
                        $"the API has no endpoint {request.Method} {request.Path}; its endpoints are listed in docs/api.md (e.g. GET /status)");
                    break;
                case StatusCodes.Status405MethodNotAllowed:
                    string allowed = context.Response.Headers.Allow.ToString();
                    await Write(context, MethodNotAllowed, "Method not allowed", StatusCodes.Status405MethodNotAllowed,
                        $"{request.Path} does not take {request.Method}" + (allowed.Length > 0 ? $"; it takes {allowed}" : ""));
                    break;
                default:
                    await Write(context, "about:blank", ReasonPhrase(context.Response.StatusCode), context.Response.StatusCode,
                        $"the request was refused with status {context.Response.StatusCode}");
                    break;
            }
        });
    }

    private static string ReasonPhrase(int status) => Microsoft.AspNetCore.WebUtilities.ReasonPhrases.GetReasonPhrase(status) is { Length: > 0 } phrase ? phrase : "Error";

    private static Task Write(HttpContext context, string type, string title, int status, string detail)
    {
        context.Response.StatusCode = status;
        return context.Response.WriteAsJsonAsync(new ApiProblem(type, title, status, detail), ApiJsonContext.Web.ApiProblem, Problems.ContentType);
    }
}
