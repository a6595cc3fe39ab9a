using System;
using System.Collections.Generic;
using System.IO;
using System.Reflection;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace CommunityGrid.WebApp;

/// <summary>Maps the web app's files under <c>/app/</c> (and <c>/</c> to it) onto a host's routes.</summary>
public static class WebAppEndpoints
{
    public const string BasePath = "/app/";

    /// <summary>Everything from this gateway and nothing inline: a page a gateway cannot make load foreign code into.</summary>
    public const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; form-action 'none'; base-uri 'none'; frame-ancestors 'none'";

    private static readonly IReadOnlyDictionary<string, byte[]> Files = Load();

    /// <summary>The embedded files by path below /app/ (e.g. "js/app.js").</summary>
    public static IEnumerable<string> FileNames => Files.Keys;

    public static void MapWebApp(this IEndpointRouteBuilder routes)
    {
        ArgumentNullException.ThrowIfNull(routes);
        routes.MapGet("/", () => Results.Redirect(BasePath));
        // The catch-all also matches /app/ and /app (routing ignores a trailing slash): /app/ is the page, and /app is
        // sent there so that the page's relative links resolve below /app/.
        routes.MapGet(BasePath + "{**file}", (HttpContext context, string? file) =>
            !string.IsNullOrEmpty(file) ? Serve(context, file)
            : context.Request.Path.Value?.EndsWith('/') == true ? Serve(context, "index.html")
            : Results.Redirect(BasePath));
    }

    private static IResult Serve(HttpContext context, string file)
    {
        if (!Files.TryGetValue(file, out byte[]? bytes))
        {
            return Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found", type: "urn:communitygrid:problem:not-found",
                detail: $"the web app has no file '{file}'; open {BasePath}");
        }
        context.Response.Headers.ContentSecurityPolicy = ContentSecurityPolicy;
        context.Response.Headers.XContentTypeOptions = "nosniff";
        context.Response.Headers.CacheControl = "no-cache";
        return Results.Bytes(bytes, ContentType(file));
    }

    private static string ContentType(string file) => Path.GetExtension(file) switch
    {
        ".html" => "text/html; charset=utf-8",
        ".css" => "text/css; charset=utf-8",
        ".js" => "text/javascript; charset=utf-8",
        _ => "application/octet-stream",
    };

    private static Dictionary<string, byte[]> Load()
    {
        Assembly assembly = typeof(WebAppEndpoints).Assembly;
        var files = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (string name in assembly.GetManifestResourceNames())
        {
            if (!name.StartsWith("webapp/", StringComparison.Ordinal)) continue;
            using Stream stream = assembly.GetManifestResourceStream(name)!;
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            files[name["webapp/".Length..].Replace('\\', '/')] = copy.ToArray();
        }
        return files;
    }
}
