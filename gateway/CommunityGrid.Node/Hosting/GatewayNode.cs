using System;
using System.IO;
using System.Net;
using System.Threading;
using System.Threading.Tasks;
using CommunityGrid.Api;
using CommunityGrid.Chain.Blocks;
using CommunityGrid.Chain.State;
using CommunityGrid.Chain.Transactions;
using CommunityGrid.Chain.Validation;
using CommunityGrid.Node.Acks;
using CommunityGrid.Node.Consensus;
using CommunityGrid.Peering;
using CommunityGrid.Node.Display;
using CommunityGrid.Node.Ingest;
using CommunityGrid.Node.Mempool;
using CommunityGrid.Node.Production;
using CommunityGrid.Node.Proofs;
using CommunityGrid.Storage;
using Microsoft.Extensions.Logging;

namespace CommunityGrid.Node.Hosting;

/// <summary>
/// One gateway: the chain store (verified on open), the mempool, block production, MQTT ingest, acks and display
/// data, and optionally the HTTP API. Start with <see cref="StartAsync"/>, stop by disposing. Everything that changes the
/// chain goes through the chain core; the node only schedules, stores and talks.
/// </summary>
public sealed partial class GatewayNode : IGatewayBackend, IAsyncDisposable
{
    public const string DatabaseFileName = ChainDirectory.DatabaseFileName;

    private readonly object storeLock = new();
    private readonly NodeOptions options;
    private readonly ChainStore store;
    private readonly ILogger logger;
    private readonly AckSender acks;
    private readonly DisplaySender displays;
    private readonly ProofSender proofs;
    private readonly BlockProduction production;
    private readonly RejectedTransactions rejected = new();
    private ProductionLoop? loop;
    private ConsensusDriver? consensus;
    private PeerNetwork? peers;
    private IMeterLink? link;
    private HttpHost? http;
    private int disposed;

    private GatewayNode(NodeOptions options, ChainStore store)
    {
        this.options = options;
        this.store = store;
        logger = options.LoggerFactory.CreateLogger("CommunityGrid.Node");
        ChainId = store.Genesis.ChainId;
        Topics = new MeterTopics(ChainId);
        Pool = new TransactionPool(options.MempoolCapacity);
        acks = new AckSender(options.ValidatorKey, options.LoggerFactory.CreateLogger("CommunityGrid.Node.Acks"), options.OnAck);
        displays = new DisplaySender(() => Read(DisplayFigures.Take), options.ValidatorKey, options.LoggerFactory.CreateLogger("CommunityGrid.Node.Display"));
        proofs = new ProofSender((tip, wanted) => Read(s => MeterProofs.Take(s, wanted, tip)), options.LoggerFactory.CreateLogger("CommunityGrid.Node.Proofs"));
        production = new BlockProduction(store, storeLock, Pool, options.ValidatorKey, options.Clock, acks, displays, proofs, Metrics,
            options.LoggerFactory.CreateLogger("CommunityGrid.Node.Production"), options.DataDirectory, options.BlockPeriod, rejected);
        Intake = new ReadingIntake(ChainId, Pool, acks, Metrics, () => Height, options.LoggerFactory.CreateLogger("CommunityGrid.Node.Ingest"));
    }

    public string ChainId { get; }

    public GatewayMetrics Metrics { get; } = new();

    public MeterTopics Topics { get; }

    public TransactionPool Pool { get; }

    /// <summary>Where MQTT readings enter; the simulator may offer readings here directly, without a broker.</summary>
    public ReadingIntake Intake { get; }

    public long Height => Read(s => s.Height);

    /// <summary>The embedded broker's endpoint as configured, or null. (MQTTnet does not report a port it picked, so give a fixed one.)</summary>
    public IPEndPoint? MqttEndpoint => (link as EmbeddedBroker)?.Endpoint;

    /// <summary>The gateway's own path onto the meters' topics, for tests that must publish as the gateway would.</summary>
    internal IMeterLink? MeterLink => link;

    /// <summary>Where the HTTP API listens (the bound port when 0 was asked for), or null.</summary>
    public IPEndPoint? HttpEndpoint => http?.Endpoint;

    /// <summary>True while blocks cannot be stored because the disk is full (logged once per episode); readings wait unacknowledged.</summary>
    public bool StorageFull => production.StorageFull;

    /// <summary>Changes the database's page cap at runtime (<see cref="NodeOptions.MaxPageCount"/>); tests raise it to end a full disk.</summary>
    internal long SetMaxPageCount(long pages)
    {
        lock (storeLock) return store.SetMaxPageCount(pages);
    }

    /// <summary>Acks handed to the broker so far.</summary>
    public long AcksSent => acks.Sent;

    /// <summary>Committed/already-committed acks not signed because every session of their meter takes proofs (docs/protocol.md §7.7).</summary>
    public long AcksNotNeeded => acks.NotNeeded;

    /// <summary>Display messages signed and published so far, and those not made because the meter's sessions all take proofs.</summary>
    public long DisplaysSent => displays.Sent;

    public long DisplaysNotNeeded => displays.NotNeeded;

    /// <summary>Committed/already-committed acks folded into a higher one of the same meter (docs/protocol.md §7.3).</summary>
    public long AcksMerged => acks.Merged;

    /// <summary>Light-client proof messages handed to the broker so far (docs/protocol.md §7.6).</summary>
    public long ProofsSent => proofs.Sent;

    /// <exception cref="NodeStartupException">the chain does not verify, the key is not the validator, or a port cannot be bound.</exception>
    public static async Task<GatewayNode> StartAsync(NodeOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        ChainStore store = OpenStore(options);
        var node = new GatewayNode(options, store);
        try
        {
            await node.StartServicesAsync(cancellationToken).ConfigureAwait(false);
            return node;
        }
        catch
        {
            await node.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private static ChainStore OpenStore(NodeOptions options)
    {
        string path = Path.Combine(options.DataDirectory, DatabaseFileName);
        ChainStore store;
        try
        {
            store = ChainDirectory.Open(options.DataDirectory, options.Genesis, options.Verify, options.InitChain);
        }
        catch (ChainStoreException e) when (e.NoChainStored || e.InnerException is ChainStoreException { NoChainStored: true })
        {
            throw new NodeStartupException($"no chain to run on: {e.Message}. The node will not start a new chain by itself.", e);
        }
        catch (ChainStoreException e)
        {
            throw new NodeStartupException($"the chain in {path} cannot be used: {e.Message}. The node will not run on it; restore chain.sqlite from a backup or a peer gateway (docs/operations.md), or move the data directory away to start over.", e);
        }
        string? problem = RefusalOfKey(store.State.Validators, options);
        if (problem is not null)
        {
            store.Dispose();
            throw new NodeStartupException(problem);
        }
        if (options.MaxPageCount is { } pages)
        {
            try
            {
                store.SetMaxPageCount(pages);
            }
            catch
            {
                store.Dispose();
                throw;
            }
        }
        return store;
    }

    /// <summary>Why this node's key cannot run the chain whose tip set is <paramref name="validators"/>, or null when it can.</summary>
    private static string? RefusalOfKey(ValidatorSet validators, NodeOptions options)
    {
        string own = Convert.ToHexStringLower(options.ValidatorKey.PublicKey);
        bool member = validators.Contains(options.ValidatorKey.PublicKey);
        if (!member && options.Consensus is { JoinAsAddedValidator: true } joining)
        {
            // Its own address is in no set it knows yet, so it cannot be taken from there.
            return joining.ListenEndPoint is null
                ? $"a gateway joining as an added validator needs the address to listen on for its peers (--p2p): the one the add-validator proposal named for key {own}"
                : null;
        }
        if (validators.Validators.Count > 1)
        {
            return !member
                ? $"the node key {own} is not one of the chain's {validators.Validators.Count} validators; start the node with the key file of a validator named in the genesis, or with --join if the community added this gateway by vote"
                : options.Consensus is null
                    ? $"the chain's validator set has {validators.Validators.Count} gateways; this node needs its consensus settings (peer address and sign-state file) to take part"
                    : null;
        }
        if (member) return null;
        string set = string.Join(", ", System.Linq.Enumerable.Select(validators.Validators, v => Convert.ToHexStringLower(v.PublicKey)));
        return $"the node key {own} is not the chain's validator {set}; start the node with the key file named in the genesis validators, or with --join if the community added this gateway by vote";
    }

    private async Task StartServicesAsync(CancellationToken cancellationToken)
    {
        InitMetrics();
        link = CreateLink();
        EmbeddedBroker? embedded = link as EmbeddedBroker;
        Metrics.Observe(() => Pool.Count, embedded is null ? null : () => embedded.ConnectedMeters);
        if (link is not null)
        {
            try
            {
                await link.StartAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is System.Net.Sockets.SocketException or IOException)
            {
                throw new NodeStartupException($"cannot start the {link.Description}: {e.Message}", e);
            }
            acks.Attach(link);
            displays.Start(link);
            proofs.Start(link);
        }
        if (options.HttpEndpoint is { } httpEndpoint) http = await HttpHost.StartAsync(httpEndpoint, this, options.LoggerFactory, cancellationToken).ConfigureAwait(false);
        ValidatorSet tipSet = store.State.Validators;
        if (tipSet.Validators.Count > 1 || !tipSet.Contains(options.ValidatorKey.PublicKey))
        {
            await StartConsensusAsync(options.Consensus!, cancellationToken).ConfigureAwait(false);
        }
        else if (options.BlockPeriod is { } period)
        {
            loop = new ProductionLoop(production, period, options.LoggerFactory.CreateLogger("CommunityGrid.Node.Production"), CommitsAlone);
            loop.HandedOver += () => _ = HandOverToConsensusAsync();
            loop.Start();
        }
        logger.LogInformation("gateway ready chain={ChainId} height={Height} mqtt={Mqtt} http={Http} period={PeriodMs}",
            ChainId, store.Height, link?.Description ?? "none", http?.Endpoint.ToString() ?? "none", options.BlockPeriod?.TotalMilliseconds.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "manual");
    }

    private IMeterLink? CreateLink()
    {
        ILogger ingestLogger = options.LoggerFactory.CreateLogger("CommunityGrid.Node.Ingest");
        if (options.ExternalBroker is { } broker)
        {
            return new ExternalBrokerLink(broker, options.ExternalBrokerUsername, options.ExternalBrokerPassword, Topics, Intake, ingestLogger);
        }
        return options.MqttEndpoint is { } endpoint ? new EmbeddedBroker(endpoint, Topics, EnrolledMeterKey, Intake, ingestLogger, options.MqttLimits, IsMoveSigner) : null;
    }

    private byte[]? EnrolledMeterKey(string meterId) => Read(s => s.State.View().Meter(meterId)?.PublicKey);

    /// <summary>An installer or validator key at the tip may leave move instructions for meters (docs/protocol.md §7.5).</summary>
    private bool IsMoveSigner(byte[] key) => Read(s => s.State.View().IsInstaller(key) || s.State.Validators.Contains(key));

    private void InitMetrics()
    {
        lock (storeLock) ChainMetrics.Load(Metrics, store, options.Clock);
    }

    /// <summary>One production round now (the simulator's step when <see cref="NodeOptions.BlockPeriod"/> is null); a gateway of a set of several never produces alone.</summary>
    public ProductionReport ProduceOnce() => consensus is null
        ? production.ProduceOnce()
        : throw new InvalidOperationException("this gateway is one of several validators: blocks are made by consensus, not by ProduceOnce");

    public T Read<T>(Func<ChainStore, T> query)
    {
        ArgumentNullException.ThrowIfNull(query);
        lock (storeLock) return query(store);
    }

    public SubmitOutcome Submit(byte[] transaction)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        string id = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(transaction));
        TxOutcome? rejection = TransactionScreen.Screen(transaction, ChainId, out Transaction? tx);
        // What cannot apply to the tip now is refused here with the chain's reason, not dropped silently at block time.
        rejection ??= Read(s => TransactionScreen.AgainstTip(s.State, tx!, options.Clock.NowMs));
        if (rejection is not null)
        {
            if (tx?.Reading is { } reading) Metrics.RecordReadingRejected(reading.MeterId, rejection.Reason!.Value.ToString());
            logger.LogInformation("submission rejected tx={TxId} reason={Reason} detail={Detail}", id, rejection.Reason, rejection.Detail);
            return new SubmitOutcome(false, id, $"{rejection.Reason}: {rejection.Detail}", rejection.Reason);
        }
        if (Pool.Add(PendingTransaction.Of(tx!)) == PoolAdmission.Full)
        {
            return new SubmitOutcome(false, id, $"mempool full ({Pool.Capacity} transactions waiting); try again shortly");
        }
        rejected.Forget(id);
        logger.LogInformation("submission queued tx={TxId} type={Type}", id, tx!.Type);
        return new SubmitOutcome(true, id, null);
    }

    public UncommittedTransaction? Uncommitted(string txIdHex)
    {
        if (Pool.Contains(txIdHex)) return UncommittedTransaction.Waiting;
        return rejected.Find(txIdHex) is { } r ? new UncommittedTransaction(false, r.Reason, r.Detail, r.Height) : null;
    }

    /// <summary>Stops production, flushes released acks, stops the broker and the HTTP API, and closes the store.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref disposed, 1) != 0) return;
        if (loop is not null) await loop.DisposeAsync().ConfigureAwait(false);
        if (consensus is not null) await consensus.DisposeAsync().ConfigureAwait(false);
        if (peers is not null) await peers.DisposeAsync().ConfigureAwait(false);
        await acks.DisposeAsync().ConfigureAwait(false);
        await displays.DisposeAsync().ConfigureAwait(false);
        await proofs.DisposeAsync().ConfigureAwait(false);
        if (link is not null) await link.DisposeAsync().ConfigureAwait(false);
        if (http is not null) await http.DisposeAsync().ConfigureAwait(false);
        lock (storeLock) store.Dispose();
        logger.LogInformation("gateway stopped chain={ChainId}", ChainId);
    }
}
