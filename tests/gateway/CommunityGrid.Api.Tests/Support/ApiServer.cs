using System;
using System.Linq;
using System.Net.Http;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;

namespace CommunityGrid.Api.Tests.Support;

/// <summary>The API on real Kestrel, on a free loopback port, with an HttpClient aimed at it.</summary>
public sealed class ApiServer : IDisposable
{
    private readonly WebApplication app;

    public ApiServer(IGatewayBackend backend)
    {
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        app = builder.Build();
        app.UseGatewayProblems();
        app.MapGatewayApi(backend);
        app.StartAsync().GetAwaiter().GetResult();
        BaseAddress = new Uri(app.Urls.Single());
        Client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
    }

    public Uri BaseAddress { get; }

    public HttpClient Client { get; }

    public void Dispose()
    {
        Client.Dispose();
        app.StopAsync().GetAwaiter().GetResult();
        ((IDisposable)app).Dispose();
    }
}
