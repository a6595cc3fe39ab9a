using System;
using System.Threading;
using System.Threading.Tasks;
using CommunityGrid.Chain.Blocks;
using Microsoft.Extensions.Logging;

namespace CommunityGrid.Node.Production;

/// <summary>
/// Runs a production round every period until stopped (a round whose block was full is followed by the next at once,
/// see <see cref="FilledBlock"/>), or until the gateway no longer commits alone (a vote grew the
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
                    ProductionReport report;
                    do report = production.ProduceOnce();
                    while (FilledBlock(report) && !stop.IsCancellationRequested && (commitsAlone is null || commitsAlone()));
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

    /// <summary>
    /// A block that took as many transactions as a block may hold leaves more waiting (issue 18): waiting a whole period
    /// for each further block would cap ingest at one full block per period however fast the gateway is. Block time is
    /// still the clock's (max(clock, tip + 1 ms)), so back-to-back blocks change nothing the chain checks.
    /// </summary>
    private static bool FilledBlock(ProductionReport report) =>
        report.Block is { } block && block.Body.Transactions.Count >= BlockProducer.DefaultMaxTransactions;

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync().ConfigureAwait(false);
        if (running is not null) await running.ConfigureAwait(false);
        stop.Dispose();
    }
}
