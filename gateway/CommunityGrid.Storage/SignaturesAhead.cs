using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Runtime.ExceptionServices;
using System.Threading;
using CommunityGrid.Chain.Blocks;
using CommunityGrid.Chain.Transactions;

namespace CommunityGrid.Storage;

/// <summary>
/// Reads stored blocks ahead of a full replay and decodes their transactions on worker threads, verifying each
/// signature there, so the replay, which must stay sequential, executes the decoded transactions instead of decoding
/// and verifying them itself (issue 18): every transaction is decoded, hashed and verified exactly once per replay.
/// </summary>
/// <remarks>
/// The replay decides everything exactly as without it: a decoded transaction is what <see cref="Transaction.TryDecode(byte[], out Chain.Validation.TxOutcome?, VerifiedSignatures?)"/>
/// gives for those bytes (validity is a function of the bytes alone), including a signature that does not verify
/// (<see cref="Transaction.SignatureValid"/> false, refused by the rules as BadSignature); bytes that do not decode
/// are left null and decoded again by the replay, which refuses the block with its own message. Blocks are handed
/// out in stored order, and damage met while reading ahead (a missing row, a row that does not decode, SQLite
/// failing) is raised only when the replay reaches that position, so the first bad block is still the one named.
/// The reading stays on the caller's thread (its read transaction); workers see decoded blocks only. The replay
/// thread decodes a block itself when no worker has started on it yet, and while it waits for a worker it decodes
/// blocks further ahead.
/// </remarks>
internal static class SignaturesAhead
{
    /// <summary>Blocks read ahead at most; with <see cref="MaxTransactionsAhead"/> it bounds the memory the decoded transactions held ahead take.</summary>
    internal const int MaxBlocksAhead = 256;

    internal const int MaxTransactionsAhead = 32_768;

    /// <summary><paramref name="blocks"/> in the same order and with the same failures, their transactions decoded and verified ahead.</summary>
    public static IEnumerable<DecodedBlock> Verified(IEnumerable<Block> blocks, int workers)
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
                yield return new DecodedBlock(current.Block, current.DecodeOrHelp(work));
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
                pending.TryDecode();
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
        private Transaction?[]? decoded;

        public Block? Block { get; } = block;
        public ExceptionDispatchInfo? Failure { get; } = failure;

        /// <summary>Decodes unless someone else already does.</summary>
        public void TryDecode()
        {
            if (Interlocked.Exchange(ref claimed, 1) != 0) return;
            IReadOnlyList<byte[]> transactions = Block!.Body.Transactions;
            var result = new Transaction?[transactions.Count];
            try
            {
                for (int i = 0; i < result.Length; i++)
                {
                    // Verified here and remembered nowhere else: the replay uses this very object.
                    result[i] = Transaction.TryDecode(transactions[i], out _, verified: null);
                }
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // Whatever went wrong is met again by the replay, which decodes what is left null and reports it for this block.
            }
            finally
            {
                decoded = result;
                done.Set();
            }
        }

        /// <summary>
        /// Decodes this block unless a worker has started on it; while a worker is still at it, decodes blocks further
        /// ahead that no worker has taken yet rather than wait idle, so every core verifies signatures (issue 18).
        /// </summary>
        public IReadOnlyList<Transaction?> DecodeOrHelp(BlockingCollection<Pending> work)
        {
            TryDecode();
            while (!done.IsSet && work.TryTake(out Pending? further)) further.TryDecode();
            done.Wait();
            done.Dispose();
            return decoded!;
        }
    }
}

/// <summary>A stored block and its transactions as decoded ahead (null where they did not decode), parallel to its body.</summary>
internal sealed record DecodedBlock(Block Block, IReadOnlyList<Transaction?> Transactions);
