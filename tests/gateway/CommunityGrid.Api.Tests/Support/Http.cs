using System.Net;
using System.Net.Http;
using System.Text.Json;
using CommunityGrid.Api.Json;

namespace CommunityGrid.Api.Tests.Support;

/// <summary>GETs that check the status and media type, then parse the body with the API's own JSON contract.</summary>
public static class Http
{
    public static T Get<T>(HttpClient client, string path, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type)
    {
        using HttpResponseMessage response = client.GetAsync(path).GetAwaiter().GetResult();
        string body = response.Content.ReadAsStringAsync().GetAwaiter().GetResult();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET {path}: {(int)response.StatusCode} {body}");
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        return JsonSerializer.Deserialize(body, type)!;
    }

    /// <summary>Asserts an RFC 9457 problem with <paramref name="status"/> and returns it.</summary>
    public static ApiProblem Problem(HttpResponseMessage response, HttpStatusCode status)
    {
        string body = response.Content.ReadAsStringAsync().GetAwaiter().GetResult();
        Assert.True(response.StatusCode == status, $"expected {(int)status}, got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        ApiProblem problem = JsonSerializer.Deserialize(body, ApiJsonContext.Default.ApiProblem)!;
        Assert.Equal((int)status, problem.Status);
        Assert.StartsWith("urn:communitygrid:problem:", problem.Type);
        Assert.False(string.IsNullOrWhiteSpace(problem.Detail));
        return problem;
    }

    public static ApiProblem GetProblem(HttpClient client, string path, HttpStatusCode status)
    {
        using HttpResponseMessage response = client.GetAsync(path).GetAwaiter().GetResult();
        return Problem(response, status);
    }
}
