using System;
using System.IO;
using System.Net;
using System.Threading;
using System.Threading.Tasks;
using CommunityGrid.Api;
using CommunityGrid.Chain.Genesis;
using CommunityGrid.Node.Timing;
using CommunityGrid.Storage;
using Microsoft.Extensions.Logging;

namespace CommunityGrid.Node.Hosting;

/// <summary>
/// Serves a stored chain over the HTTP API without taking part in it (<c>cgrid gateway run --read-only</c>): no
/// validator key, no block production, no MQTT, and the database opened read-only, so a <c>cgrid simulate</c>
/// output or a copy of a gateway's data can be browsed. The chain is verified on open as a running gateway's is,
/// and served as it stood then; POST /transactions is refused (<see cref="IGatewayBackend.ReadOnly"/>).
/// </summary>
public sealed class ReadOnlyGateway : IGatewayBackend, IAsyncDisposable
{
    private readonly object storeLock = new();
    private readonly ChainStore store;
    private readonly ILogger logger;
    private HttpHost? http;
    private int disposed;

    private ReadOnlyGateway(ChainStore store, ILoggerFactory loggerFactory)
    {
        this.store = store;
        ChainId = store.Genesis.ChainId;
        logger = loggerFactory.CreateLogger("CommunityGrid.Node");
    }

    public string ChainId { get; }

    public bool ReadOnly => true;

    public GatewayMetrics Metrics { get; } = new();

    public long Height => Read(s => s.Height);

    /// <summary>Where the HTTP API listens (the bound port when 0 was asked for).</summary>
    public IPEndPoint HttpEndpoint => http!.Endpoint;

    /// <exception cref="NodeStartupException">no chain in the directory, the chain does not verify, or the port cannot be bound.</exception>
    public static async Task<ReadOnlyGateway> StartAsync(GenesisDocument genesis, string dataDirectory, IPEndPoint httpEndpoint, ILoggerFactory loggerFactory,
        IClock? clock = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(genesis);
        ArgumentNullException.ThrowIfNull(httpEndpoint);
        ArgumentNullException.ThrowIfNull(loggerFactory);
        string path = Path.Combine(dataDirectory, ChainDirectory.DatabaseFileName);
        ChainStore store;
        try
        {
            store = ChainStore.OpenReadOnly(path, genesis, VerifyMode.Full);
        }
        catch (ChainStoreException e) when (e.NoChainStored)
        {
            throw new NodeStartupException($"no chain to serve: {path} does not exist or holds no chain; --data names a `cgrid simulate` output or a gateway's data directory", e);
        }
        catch (ChainStoreException e)
        {
            throw new NodeStartupException($"the chain in {path} cannot be served: {e.Message}", e);
        }
        var gateway = new ReadOnlyGateway(store, loggerFactory);
        try
        {
            ChainMetrics.Load(gateway.Metrics, store, clock ?? SystemClock.Instance);
            gateway.http = await HttpHost.StartAsync(httpEndpoint, gateway, loggerFactory, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await gateway.DisposeAsync().ConfigureAwait(false);
            throw;
        }
        gateway.logger.LogInformation("gateway ready read-only chain={ChainId} height={Height} http={Http}", gateway.ChainId, store.Height, gateway.http.Endpoint);
        return gateway;
    }

    public T Read<T>(Func<ChainStore, T> query)
    {
        ArgumentNullException.ThrowIfNull(query);
        lock (storeLock) return query(store);
    }

    /// <summary>Never reached through the API, which refuses writes first; refuses all the same for any other caller.</summary>
    public SubmitOutcome Submit(byte[] transaction)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        string id = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(transaction));
        return new SubmitOutcome(false, id, "this gateway serves its chain read-only and takes no transactions");
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref disposed, 1) != 0) return;
        if (http is not null) await http.DisposeAsync().ConfigureAwait(false);
        lock (storeLock) store.Dispose();
        logger.LogInformation("gateway stopped chain={ChainId}", ChainId);
    }
}
