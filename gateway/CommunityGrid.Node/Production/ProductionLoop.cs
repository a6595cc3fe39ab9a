using System;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;

namespace CommunityGrid.Node.Production;

/// <summary>Runs a production round every period until stopped. A failed round is logged and retried next period (a full disk once per episode, by <see cref="BlockProduction"/>).</summary>
public sealed class ProductionLoop(BlockProduction production, TimeSpan period, ILogger logger) : IAsyncDisposable
{
    private readonly CancellationTokenSource stop = new();
    private Task? running;

    public void Start() => running ??= Task.Run(RunAsync);

    private async Task RunAsync()
    {
        using var timer = new PeriodicTimer(period);
        try
        {
            while (await timer.WaitForNextTickAsync(stop.Token).ConfigureAwait(false))
            {
                try
                {
                    production.ProduceOnce();
                }
                catch (Exception e) when (CommunityGrid.Storage.ChainStore.IsFull(e))
                {
                    // A full disk: BlockProduction logged it once for the episode and the next round retries the block.
                }
                catch (Exception e) when (e is not OutOfMemoryException)
                {
                    // Nothing was acknowledged for this round and the mempool still holds its candidates.
                    logger.LogError(e, "block production failed; the mempool is kept and the next round retries: {Error}", e.Message);
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync().ConfigureAwait(false);
        if (running is not null) await running.ConfigureAwait(false);
        stop.Dispose();
    }
}
