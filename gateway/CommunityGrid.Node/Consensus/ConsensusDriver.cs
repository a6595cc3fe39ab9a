using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Channels;
using System.Threading.Tasks;
using CommunityGrid.Chain.Blocks;
using CommunityGrid.Chain.Encoding;
using CommunityGrid.Chain.State;
using CommunityGrid.Consensus;
using CommunityGrid.Consensus.Machine;
using CommunityGrid.Consensus.Messages;
using CommunityGrid.Consensus.Signing;
using CommunityGrid.Node.Timing;
using CommunityGrid.Peering;
using CommunityGrid.Storage;
using Microsoft.Extensions.Logging;

namespace CommunityGrid.Node.Consensus;

/// <summary>
/// Runs the Tendermint machine for a gateway of a set of several: every input (peer messages, expired timeouts, a
/// tick) is handled on one thread, in arrival order, so the machine, its block rules and block sync never race. The
/// machine decides; this class carries its outputs out (send, arm a timeout, store a decided block then start the
/// next height) and catches the node up from its peers when it is behind (docs/consensus.md §5).
/// A height is started when there is something to put in a block (a transaction waits, an interval is due) or a
/// peer already works on it, because the chain has no empty blocks.
/// </summary>
internal sealed partial class ConsensusDriver : IAsyncDisposable
{
    private const int SyncBatch = 50;
    private static readonly TimeSpan TickPeriod = TimeSpan.FromMilliseconds(100);
    private const long StatusPeriodMs = 1000;
    private const long SyncRetryMs = 1000;

    private readonly ChainStore store;
    private readonly object storeLock;
    private readonly IPeerNetwork network;
    private readonly TendermintMachine machine;
    private readonly ChainBlockRules rules;
    private readonly CommittedBlocks committed;
    private readonly IClock clock;
    private readonly ILogger logger;
    private readonly Func<bool> hasPendingTransactions;
    private readonly Channel<Action> inbox = Channel.CreateUnbounded<Action>(new UnboundedChannelOptions { SingleReader = true });
    private readonly CancellationTokenSource stopping = new();
    private readonly List<Task> loops = new();
    // Written by the inbox loop, read by /status from any thread.
    private readonly System.Collections.Concurrent.ConcurrentDictionary<PeerKey, long> peerHeights = new();
    private long startedHeight;
    private bool peerWorksOnNext;
    // Status, retransmissions and sync retries are paced by real elapsed time, not by the block clock: a simulator
    // holds its virtual clock still while a height is decided, and the messages lost meanwhile must still go again.
    private readonly System.Diagnostics.Stopwatch elapsed = System.Diagnostics.Stopwatch.StartNew();
    private long lastStatusMs = -StatusPeriodMs;
    private long syncRequestedAtMs = -SyncRetryMs;

    public ConsensusDriver(ChainStore store, object storeLock, IPeerNetwork network, ChainBlockRules rules, IConsensusSigner signer,
        ConsensusParameters parameters, CommittedBlocks committed, Func<bool> hasPendingTransactions, IClock clock, ILogger logger)
    {
        this.store = store;
        this.storeLock = storeLock;
        this.network = network;
        this.rules = rules;
        this.committed = committed;
        this.hasPendingTransactions = hasPendingTransactions;
        this.clock = clock;
        this.logger = logger;
        machine = new TendermintMachine(store.Genesis.ChainId, parameters, rules, signer);
    }

    /// <summary>What /status and /metrics show: the height being decided (0 when idle), its round and step, and the peers' heights.</summary>
    public ConsensusStatus Status { get; private set; } = new(0, 0, "idle", 0, 0);

    private long heightsDecided;
    private long roundsTotal;

    /// <summary>The figures /status and /metrics show; safe from any thread (a snapshot of values the driver publishes).</summary>
    public CommunityGrid.Api.ConsensusFigures Figures(IReadOnlyList<PeerStatus> peers, int validators)
    {
        ConsensusStatus s = Status;
        var list = new List<CommunityGrid.Api.PeerFigure>(peers.Count);
        foreach (PeerStatus p in peers) list.Add(new CommunityGrid.Api.PeerFigure(p.Key.Hex, p.Address, p.Connected, p.LastError, peerHeights.TryGetValue(p.Key, out long h) ? h : null));
        return new CommunityGrid.Api.ConsensusFigures(s.Height, s.Round, s.Step, s.LastRounds, s.LastCommitMs,
            Interlocked.Read(ref heightsDecided), Interlocked.Read(ref roundsTotal), validators, list);
    }

    public void Start()
    {
        network.PeerConnected += peer => Post(() => SendStatus(peer));
        loops.Add(Task.Run(() => RunInboxAsync(stopping.Token)));
        loops.Add(Task.Run(() => ReceiveAsync(stopping.Token)));
        loops.Add(Task.Run(() => TickAsync(stopping.Token)));
    }

    /// <summary>Another part of the node has something for the chain (a transaction entered the mempool).</summary>
    public void WorkArrived() => Post(MaybeStartHeight);

    private void Post(Action action) => inbox.Writer.TryWrite(action);

    private async Task RunInboxAsync(CancellationToken cancel)
    {
        try
        {
            await foreach (Action action in inbox.Reader.ReadAllAsync(cancel).ConfigureAwait(false))
            {
                try
                {
                    action();
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // One bad input must not stop consensus; the machine and the store are unchanged by a failed step.
                    logger.LogError("consensus step failed: {Error}", e.Message);
                    logger.LogDebug(e, "consensus step failure detail");
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task ReceiveAsync(CancellationToken cancel)
    {
        try
        {
            await foreach (PeerMessage message in network.ReceiveAllAsync(cancel).ConfigureAwait(false))
            {
                if (message.Channel == ConsensusWire.ConsensusChannel) Post(() => OnConsensusMessage(message));
                else if (message.Channel == ConsensusWire.SyncChannel) Post(() => OnSyncMessage(message));
                else if (message.Channel is ConsensusWire.TransactionChannel or ConsensusWire.AdminTransactionChannel) TransactionReceived?.Invoke(message);
                // On this thread, in the order received: a peer's links apply to the transactions it sent after them.
                else if (message.Channel == ConsensusWire.LinksChannel) LinksReceived?.Invoke(message);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>The machine caught a validator double-signing; the node reports it as an evidence transaction. Raised on the driver's thread.</summary>
    public event Action<DoubleSignEvidence>? EvidenceFound;

    /// <summary>A transaction gossiped by a peer (channel 2 or 4); the node screens it into its mempool. Raised on the network's thread.</summary>
    public event Action<PeerMessage>? TransactionReceived;

    /// <summary>A peer told which peers it is connected to (channel 5). Raised on the network's thread.</summary>
    public event Action<PeerMessage>? LinksReceived;

    private async Task TickAsync(CancellationToken cancel)
    {
        using var timer = new PeriodicTimer(TickPeriod);
        try
        {
            while (await timer.WaitForNextTickAsync(cancel).ConfigureAwait(false)) Post(Tick);
        }
        catch (OperationCanceledException)
        {
        }
    }

    private void Tick()
    {
        long now = elapsed.ElapsedMilliseconds;
        if (now - lastStatusMs >= StatusPeriodMs)
        {
            lastStatusMs = now;
            network.Broadcast(ConsensusWire.SyncChannel, ConsensusWire.Status(TipHeight));
            // Tendermint assumes eventual delivery: what this node said in the current round is said again until decided.
            if (startedHeight != 0) Carry(machine.Retransmissions());
        }
        MaybeStartHeight();
    }

    private long TipHeight
    {
        get { lock (storeLock) return store.Height; }
    }

    private void MaybeStartHeight()
    {
        if (startedHeight != 0) return;
        long next;
        bool due;
        ChainState state;
        lock (storeLock)
        {
            state = store.State;
            next = state.Height + 1;
            due = BlockProducer.IntervalCloseDue(state, Math.Max(clock.NowMs, state.TipTimeMs + 1));
        }
        if (!due && !peerWorksOnNext)
        {
            if (!hasPendingTransactions()) return;
            // What waits may all be answered already (a meter's resend of a committed reading through another
            // gateway): answer and drop it rather than start a height nobody can fill.
            committed.DropInapplicable();
            if (!hasPendingTransactions()) return;
        }
        StartHeight(next);
    }

    private void StartHeight(long height)
    {
        CommunityGrid.Chain.Blocks.ValidatorSet validators;
        long tipTime;
        lock (storeLock)
        {
            validators = store.State.Validators;
            tipTime = store.State.TipTimeMs;
        }
        if (height <= machine.Height) return;
        startedHeight = height;
        peerWorksOnNext = false;
        logger.LogDebug("consensus height {Height} started", height);
        Carry(machine.StartHeight(height, validators.ForConsensus, tipTime, clock.NowMs));
    }

    private void OnConsensusMessage(PeerMessage message)
    {
        ConsensusMessage decoded;
        try
        {
            decoded = ConsensusWire.DecodeConsensus(message.Payload);
        }
        catch (ChainFormatException e)
        {
            logger.LogWarning("peer {Peer} sent a malformed consensus message: {Error}", message.From, e.Message);
            return;
        }
        long height = decoded.Proposal?.Height ?? decoded.Vote!.Height;
        long tip = TipHeight;
        if (height > tip + 1)
        {
            RequestBlocks(message.From, tip + 1, height - 1);
            return;
        }
        if (height == tip + 1 && startedHeight == 0)
        {
            // A peer works on the next height: this one has something to decide even if our mempool is empty.
            peerWorksOnNext = true;
            StartHeight(tip + 1);
        }
        if (decoded.Proposal is { } proposal) Carry(machine.OnProposal(proposal, decoded.Block!, clock.NowMs));
        else Carry(machine.OnVote(decoded.Vote!, clock.NowMs));
    }

    /// <summary>Carries out the machine's outputs in order.</summary>
    private void Carry(IReadOnlyList<ConsensusOutput> outputs)
    {
        foreach (ConsensusOutput output in outputs)
        {
            switch (output)
            {
                case BroadcastProposal p:
                    network.Broadcast(ConsensusWire.ConsensusChannel, ConsensusWire.Proposal(p.Proposal, p.Block));
                    break;
                case BroadcastVote v:
                    network.Broadcast(ConsensusWire.ConsensusChannel, ConsensusWire.Vote(v.Vote));
                    break;
                case ScheduleTimeout t:
                    ArmTimeout(t);
                    break;
                case Decide d:
                    Decided(d);
                    break;
                case ReportEvidence e:
                    logger.LogWarning("validator {Validator} double-signed at height {Height} round {Round}: evidence {Evidence}; reporting it to the chain",
                        Convert.ToHexStringLower(e.Evidence.Validator), e.Evidence.First.Height, e.Evidence.First.Round, Convert.ToHexStringLower(e.Evidence.Id));
                    EvidenceFound?.Invoke(e.Evidence);
                    break;
                case RequestBlock r:
                    // Peers that decided it answer with the block and its commit (block sync).
                    network.Broadcast(ConsensusWire.SyncChannel, ConsensusWire.Request(r.Height, 1));
                    break;
            }
        }
        Status = new ConsensusStatus(startedHeight, machine.Round, startedHeight == 0 ? "idle" : machine.Step.ToString().ToLowerInvariant(), Status.LastRounds, Status.LastCommitMs);
    }

    private void ArmTimeout(ScheduleTimeout t)
    {
        _ = Task.Delay(TimeSpan.FromMilliseconds(Math.Min(t.DelayMs, int.MaxValue)), stopping.Token).ContinueWith(
            _ => Post(() => Carry(machine.OnTimeout(t.Step, t.Height, t.Round, clock.NowMs))),
            CancellationToken.None, TaskContinuationOptions.OnlyOnRanToCompletion, TaskScheduler.Default);
    }

    private void Decided(Decide d)
    {
        (BlockHeader header, BlockBody body) = ConsensusWire.FromConsensus(d.Block.Bytes);
        var block = new Block(header, body, d.Certificate);
        PreparedBlock? prepared = rules.Executed(d.Height, d.Block.Id)?.WithCommit(d.Certificate);
        lock (storeLock)
        {
            string? problem = BlockCommits.FindProblem(d.Certificate, header, store.State.Validators);
            if (problem is not null) throw new InvalidOperationException($"decided block {d.Height} has a commit that does not verify: {problem}");
            if (prepared is null || !store.State.IsCurrent(prepared)) store.Append(block);
            else store.Append(prepared);
        }
        startedHeight = 0;
        Status = Status with { LastRounds = d.Round + 1, LastCommitMs = clock.NowMs };
        Interlocked.Increment(ref heightsDecided);
        Interlocked.Add(ref roundsTotal, d.Round + 1);
        committed.Committed(block, d.Round);
        MaybeStartHeight();
    }

    public async ValueTask DisposeAsync()
    {
        stopping.Cancel();
        inbox.Writer.TryComplete();
        try
        {
            await Task.WhenAll(loops).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
        stopping.Dispose();
    }
}

/// <param name="Height">The height being decided, 0 while waiting for something to decide.</param>
/// <param name="LastRounds">Rounds the last decided height took (1 = decided in round 0).</param>
public sealed record ConsensusStatus(long Height, int Round, string Step, int LastRounds, long LastCommitMs);
