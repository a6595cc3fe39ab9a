using System;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;

namespace CommunityGrid.Node.Production;

/// <summary>
/// Runs a production round every period until stopped, or until the gateway no longer commits alone (a vote grew the
/// validator set): then it ends and raises <see cref="HandedOver"/> so the node can go on by consensus. A failed round
/// is logged and retried next period (a full disk once per episode, by <see cref="BlockProduction"/>).
/// </summary>
public sealed class ProductionLoop(BlockProduction production, TimeSpan period, ILogger logger, Func<bool>? commitsAlone = null) : IAsyncDisposable
{
    /// <summary>Raised once, on the loop's thread, when <c>commitsAlone</c> turned false; no block is produced alone after it.</summary>
    public event Action? HandedOver;

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
                if (commitsAlone is not null && !commitsAlone())
                {
                    HandedOver?.Invoke();
                    return;
                }
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
