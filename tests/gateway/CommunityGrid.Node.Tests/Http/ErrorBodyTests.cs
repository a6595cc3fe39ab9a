using CommunityGrid.Peering.Transport;
using System;
using System.Net;
using System.Net.Http;
using System.Text.Json;
using System.Threading.Tasks;
using CommunityGrid.Node.Hosting;
using CommunityGrid.Node.Tests.Support;

namespace CommunityGrid.Node.Tests.Http;

/// <summary>Issue 11, case 11: 404, 405 and 414 answered with an empty body. The real node's HTTP server now gives problem details for every error.</summary>
public sealed class ErrorBodyTests
{
    [Fact]
    public async Task Unknown_paths_wrong_methods_and_overlong_targets_get_problem_details()
    {
        using var grid = new TestGrid(1);
        await using GatewayNode node = await GatewayNode.StartAsync(grid.NodeOptions(LoopbackPorts.Reserve()) with { HttpEndpoint = new IPEndPoint(IPAddress.Loopback, 0) });
        using var http = new HttpClient { BaseAddress = new Uri($"http://{node.HttpEndpoint}"), Timeout = TimeSpan.FromSeconds(10) };

        JsonElement notFound = await Problem(http, new HttpRequestMessage(HttpMethod.Get, "/no/such/thing"), HttpStatusCode.NotFound);
        Assert.Equal("urn:communitygrid:problem:no-such-endpoint", notFound.GetProperty("type").GetString());
        Assert.Contains("GET /no/such/thing", notFound.GetProperty("detail").GetString(), StringComparison.Ordinal);

        JsonElement wrongMethod = await Problem(http, new HttpRequestMessage(HttpMethod.Delete, "/status"), HttpStatusCode.MethodNotAllowed);
        Assert.Equal("urn:communitygrid:problem:method-not-allowed", wrongMethod.GetProperty("type").GetString());
        Assert.Contains("it takes GET", wrongMethod.GetProperty("detail").GetString(), StringComparison.Ordinal);

        JsonElement tooLong = await Problem(http, new HttpRequestMessage(HttpMethod.Get, "/blocks/" + new string('1', 20_000)), HttpStatusCode.RequestUriTooLong);
        Assert.Equal("urn:communitygrid:problem:uri-too-long", tooLong.GetProperty("type").GetString());
        Assert.Contains("at most 8192", tooLong.GetProperty("detail").GetString(), StringComparison.Ordinal);

        // The handlers' own problems are untouched.
        JsonElement noBlock = await Problem(http, new HttpRequestMessage(HttpMethod.Get, "/blocks/999"), HttpStatusCode.NotFound);
        Assert.Equal("urn:communitygrid:problem:not-found", noBlock.GetProperty("type").GetString());
    }

    private static async Task<JsonElement> Problem(HttpClient http, HttpRequestMessage request, HttpStatusCode status)
    {
        using (request)
        using (HttpResponseMessage response = await http.SendAsync(request))
        {
            string body = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == status, $"{request.Method} {request.RequestUri}: expected {(int)status}, got {(int)response.StatusCode}: '{body}'");
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            JsonElement problem = JsonDocument.Parse(body).RootElement.Clone();
            Assert.Equal((int)status, problem.GetProperty("status").GetInt32());
            return problem;
        }
    }
}
