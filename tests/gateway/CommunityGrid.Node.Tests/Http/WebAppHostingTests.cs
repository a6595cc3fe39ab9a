using CommunityGrid.Peering.Transport;
using System;
using System.Net;
using System.Net.Http;
using System.Threading.Tasks;
using CommunityGrid.Node.Hosting;
using CommunityGrid.Node.Tests.Support;

namespace CommunityGrid.Node.Tests.Http;

/// <summary>The node's HTTP server serves the web app (docs/webapp.md) beside the API, on the same port.</summary>
public sealed class WebAppHostingTests
{
    [Fact]
    public async Task The_gateway_serves_the_web_app_and_its_modules_on_its_http_port()
    {
        using var grid = new TestGrid(1);
        await using GatewayNode node = await GatewayNode.StartAsync(grid.NodeOptions(LoopbackPorts.Reserve()) with { HttpEndpoint = new IPEndPoint(IPAddress.Loopback, 0) });
        using var http = new HttpClient { BaseAddress = new Uri($"http://{node.HttpEndpoint}"), Timeout = TimeSpan.FromSeconds(10) };

        using HttpResponseMessage page = await http.GetAsync("/");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("/app/", page.RequestMessage!.RequestUri!.AbsolutePath);
        Assert.Contains("<script type=\"module\" src=\"js/app.js\">", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        using HttpResponseMessage module = await http.GetAsync("/app/js/commit.js");
        Assert.Equal(HttpStatusCode.OK, module.StatusCode);
        Assert.Equal("text/javascript", module.Content.Headers.ContentType?.MediaType);
        using HttpResponseMessage status = await http.GetAsync("/status");
        Assert.Equal(HttpStatusCode.OK, status.StatusCode);
    }
}
