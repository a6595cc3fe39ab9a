using System;
using System.Linq;
using System.Net;
using System.Threading;
using System.Threading.Tasks;
using CommunityGrid.Api;
using CommunityGrid.WebApp;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CommunityGrid.Node.Hosting;

/// <summary>Kestrel on one endpoint serving the gateway's HTTP API (CommunityGrid.Api) over the node as its backend, and the web app (CommunityGrid.WebApp).</summary>
internal sealed class HttpHost : IAsyncDisposable
{
    private readonly WebApplication app;

    private HttpHost(WebApplication app, IPEndPoint endpoint)
    {
        this.app = app;
        Endpoint = endpoint;
    }

    /// <summary>The bound endpoint (the real port when 0 was asked for).</summary>
    public IPEndPoint Endpoint { get; }

    public static async Task<HttpHost> StartAsync(IPEndPoint endpoint, IGatewayBackend backend, ILoggerFactory loggerFactory, CancellationToken cancellationToken)
    {
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ApplicationName = "CommunityGrid.Node" });
        builder.WebHost.UseKestrel(kestrel =>
        {
            kestrel.Listen(endpoint);
            // Long request targets reach the API, which answers 414 with problem details instead of Kestrel's empty 414.
            kestrel.Limits.MaxRequestLineSize = ProblemResponses.KestrelRequestLineLimit;
        });
        // One logging pipeline for the whole node: the host logs through the node's factory.
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton(loggerFactory);
        WebApplication app = builder.Build();
        app.UseGatewayProblems();
        app.MapGatewayApi(backend);
        app.MapWebApp();
        try
        {
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is System.IO.IOException or System.Net.Sockets.SocketException)
        {
            await app.DisposeAsync().ConfigureAwait(false);
            throw new NodeStartupException($"cannot listen for HTTP on {endpoint}: {e.Message}", e);
        }
        string address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault() ?? "";
        int port = Uri.TryCreate(address, UriKind.Absolute, out Uri? uri) ? uri.Port : endpoint.Port;
        return new HttpHost(app, new IPEndPoint(endpoint.Address, port));
    }

    public async ValueTask DisposeAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await app.StopAsync(timeout.Token).ConfigureAwait(false);
        await app.DisposeAsync().ConfigureAwait(false);
    }
}
