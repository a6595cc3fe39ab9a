using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Runtime.ExceptionServices;
using System.Threading;
using CommunityGrid.Chain.Blocks;
using CommunityGrid.Chain.Transactions;

namespace CommunityGrid.Storage;

/// <summary>
/// Reads stored blocks ahead of a full replay and verifies their transactions' signatures on worker threads, so the
/// replay, which must stay sequential, finds them in <see cref="VerifiedSignatures.Shared"/> instead of verifying
/// them one by one (issue 18).
/// </summary>
/// <remarks>
/// Only an optimisation: the replay decides everything exactly as without it. The workers only warm the cache of
/// signatures that verified, keyed by the transaction's exact bytes (validity is a function of the bytes alone); a
/// signature that does not verify is not remembered, so the replay checks it again and refuses the block with its
/// own message. Blocks are handed out in stored order, and damage met while reading ahead (a missing row, a row
/// that does not decode, SQLite failing) is raised only when the replay reaches that position, so the first bad
/// block is still the one named. The reading stays on the caller's thread (its read transaction); workers see
/// decoded blocks only. The replay thread verifies a block itself when no worker has started on it yet.
/// </remarks>
internal static class SignaturesAhead
{
    /// <summary>Blocks read ahead at most; with <see cref="MaxTransactionsAhead"/> it bounds memory and keeps the warmed ids well within the cache.</summary>
    internal const int MaxBlocksAhead = 256;

    internal const int MaxTransactionsAhead = 32_768;

    /// <summary><paramref name="blocks"/> in the same order and with the same failures, their signatures verified ahead.</summary>
    public static IEnumerable<Block> Verified(IEnumerable<Block> blocks, int workers)
    {
        ArgumentNullException.ThrowIfNull(blocks);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(workers);
        using var work = new BlockingCollection<Pending>();
        using var stop = new CancellationTokenSource();
        var threads = new Thread[workers];
        for (int i = 0; i < workers; i++)
        {
            threads[i] = new Thread(() => Work(work, stop.Token)) { IsBackground = true, Name = $"replay signatures {i + 1}" };
            threads[i].Start();
        }
        try
        {
            using IEnumerator<Block> source = blocks.GetEnumerator();
            var ahead = new Queue<Pending>();
            int transactionsAhead = 0;
            bool ended = false;
            while (true)
            {
                while (!ended && ahead.Count < MaxBlocksAhead && transactionsAhead < MaxTransactionsAhead)
                {
                    Pending next = Read(source);
                    ended = next.Block is null;
                    ahead.Enqueue(next);
                    if (next.Block is null) break;
                    transactionsAhead += next.Block.Body.Transactions.Count;
                    work.Add(next);
                }
                if (ahead.Count == 0) yield break;
                Pending current = ahead.Dequeue();
                if (current.Block is null)
                {
                    current.Failure?.Throw();
                    yield break;
                }
                transactionsAhead -= current.Block.Body.Transactions.Count;
                current.VerifyOrWait();
                yield return current.Block;
            }
        }
        finally
        {
            stop.Cancel();
            work.CompleteAdding();
            foreach (Thread thread in threads) thread.Join();
        }
    }

    /// <summary>The next stored block, or the end, or the damage that stopped the reading (kept to be raised in its turn).</summary>
    private static Pending Read(IEnumerator<Block> source)
    {
        try
        {
            return source.MoveNext() ? new Pending(source.Current, null) : new Pending(null, null);
        }
        catch (Exception e)
        {
            return new Pending(null, ExceptionDispatchInfo.Capture(e));
        }
    }

    private static void Work(BlockingCollection<Pending> work, CancellationToken stop)
    {
        try
        {
            foreach (Pending pending in work.GetConsumingEnumerable(stop))
            {
                pending.TryVerify();
            }
        }
        catch (OperationCanceledException)
        {
            // The replay ended (done or refused); the blocks left are not needed.
        }
    }

    private sealed class Pending(Block? block, ExceptionDispatchInfo? failure)
    {
        private readonly ManualResetEventSlim done = new(false);
        private int claimed;

        public Block? Block { get; } = block;
        public ExceptionDispatchInfo? Failure { get; } = failure;

        /// <summary>Verifies unless someone else already does.</summary>
        public void TryVerify()
        {
            if (Interlocked.Exchange(ref claimed, 1) != 0) return;
            try
            {
                foreach (byte[] bytes in Block!.Body.Transactions)
                {
                    // Decoding verifies the signature through the shared cache; the result is not used here:
                    // the replay decodes again and decides.
                    Transaction.TryDecode(bytes, out _);
                }
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // Whatever went wrong is met again by the replay, which reports it for this block.
            }
            finally
            {
                done.Set();
            }
        }

        public void VerifyOrWait()
        {
            TryVerify();
            done.Wait();
            done.Dispose();
        }
    }
}
