using System.Linq;
using System.Net;
using System.Net.Http;
using System.Threading.Tasks;
using CommunityGrid.WebApp.Tests.Support;

namespace CommunityGrid.WebApp.Tests;

/// <summary>The gateway serves every file of the web app itself, under a policy that lets nothing else in.</summary>
[Collection(WebAppCollection.Name)]
public sealed class ServingTests(WebGateway gateway)
{
    [Theory]
    [InlineData("/app/", "text/html")]
    [InlineData("/app/app.css", "text/css")]
    [InlineData("/app/js/app.js", "text/javascript")]
    [InlineData("/app/js/commit.js", "text/javascript")]
    public async Task Each_file_comes_from_the_gateway_with_its_type_and_a_self_only_policy(string path, string type)
    {
        using HttpResponseMessage response = await gateway.Client.GetAsync(path);
        string body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET {path}: {(int)response.StatusCode} {body}");
        Assert.Equal(type, response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(WebAppEndpoints.ContentSecurityPolicy, response.Headers.GetValues("Content-Security-Policy").Single());
        Assert.DoesNotContain("http://", body.Replace("http://www.w3.org", ""));
        Assert.DoesNotContain("https://", body);
    }

    [Fact]
    public async Task The_root_leads_to_the_app_and_an_unknown_file_is_a_problem()
    {
        using HttpResponseMessage root = await gateway.Client.GetAsync("/");
        Assert.Equal(HttpStatusCode.OK, root.StatusCode);
        Assert.EndsWith("/app/", root.RequestMessage!.RequestUri!.AbsolutePath);
        using HttpResponseMessage missing = await gateway.Client.GetAsync("/app/js/nothing.js");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Contains("open /app/", await missing.Content.ReadAsStringAsync());
    }

    [Fact]
    public void Every_file_in_wwwroot_is_embedded()
    {
        Assert.Equal(["app.css", "index.html", "js/app.js", "js/cbor.js", "js/commit.js", "js/format.js", "js/merkle.js", "js/proof.js", "js/readings.js", "js/settlements.js", "js/tx.js"],
            WebAppEndpoints.FileNames.Order(System.StringComparer.Ordinal));
    }
}
