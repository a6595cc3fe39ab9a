using System;
using System.Net;
using CommunityGrid.Chain.Genesis;
using CommunityGrid.Formats.Signing;
using CommunityGrid.Node.Acks;
using CommunityGrid.Node.Ingest;
using CommunityGrid.Node.Mempool;
using CommunityGrid.Node.Timing;
using CommunityGrid.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace CommunityGrid.Node.Hosting;

/// <summary>How to run one gateway node. <c>cgrid gateway run</c> fills it from its options; the simulator builds it directly.</summary>
public sealed record NodeOptions
{
    public static readonly IPEndPoint DefaultMqttEndpoint = new(IPAddress.Loopback, 1883);

    public required GenesisDocument Genesis { get; init; }

    /// <summary>Holds <see cref="GatewayNode.DatabaseFileName"/>; created if missing.</summary>
    public required string DataDirectory { get; init; }

    /// <summary>This gateway's key; the genesis validator set must be exactly this key. The caller keeps ownership.</summary>
    public required Ed25519Signer ValidatorKey { get; init; }

    /// <summary>Where the embedded broker listens (port 0: any free port). Ignored when <see cref="ExternalBroker"/> is set; null with no external broker: no MQTT at all.</summary>
    public IPEndPoint? MqttEndpoint { get; init; } = DefaultMqttEndpoint;

    /// <summary>Bounds on what one client may cost the embedded broker (packet sizes, connect time, connections).</summary>
    public BrokerLimits MqttLimits { get; init; } = BrokerLimits.Default;

    /// <summary>Use this broker as a client instead of the embedded one.</summary>
    public BrokerAddress? ExternalBroker { get; init; }

    public string? ExternalBrokerUsername { get; init; }

    public string? ExternalBrokerPassword { get; init; }

    /// <summary>Where the HTTP API listens (port 0: any free port); null: no HTTP.</summary>
    public IPEndPoint? HttpEndpoint { get; init; }

    /// <summary>How often a block is attempted; null: never on its own, the caller calls <see cref="GatewayNode.ProduceOnce"/>.</summary>
    public TimeSpan? BlockPeriod { get; init; } = TimeSpan.FromSeconds(1);

    public int MempoolCapacity { get; init; } = TransactionPool.DefaultCapacity;

    /// <summary>Block times come from here: <see cref="SystemClock"/> in production, a <see cref="VirtualClock"/> in the simulator.</summary>
    public IClock Clock { get; init; } = SystemClock.Instance;

    public VerifyMode Verify { get; init; } = VerifyMode.Full;

    /// <summary>
    /// Create a new chain even where the data directory held one (its chain.sqlite empty, lost or without a genesis
    /// record): the explicit act `cgrid gateway run --init`. A directory that never held a chain needs no flag.
    /// </summary>
    public bool InitChain { get; init; }

    /// <summary>
    /// Caps the database at this many pages (SQLite's PRAGMA max_page_count; see <see cref="ChainStore.SetMaxPageCount"/>):
    /// beyond it blocks fail to store exactly as on a full disk. For tests, and for operators who want a hard size
    /// limit; null: no cap but the disk.
    /// </summary>
    public long? MaxPageCount { get; init; }

    public ILoggerFactory LoggerFactory { get; init; } = NullLoggerFactory.Instance;

    /// <summary>Called with every reading ack as it is released (after its block is durable), whatever the broker does with it.</summary>
    public Action<ReadingAck>? OnAck { get; init; }

    /// <summary>
    /// For a chain whose validator set has several gateways: how this one takes part in consensus. Required then;
    /// unused for a set of one, which commits alone.
    /// </summary>
    public ConsensusOptions? Consensus { get; init; }
}

/// <param name="KeySeed">The validator key's 32-byte seed (the same key as <see cref="NodeOptions.ValidatorKey"/>): it proves this gateway to its peers.</param>
/// <param name="SignStatePath">Where the last signed consensus message is kept durable (never double-sign after a restart).</param>
public sealed record ConsensusOptions(byte[] KeySeed, string SignStatePath)
{
    /// <summary>Where to listen for peers; null: the address the genesis names for this gateway's key.</summary>
    public IPEndPoint? ListenEndPoint { get; init; }

    /// <summary>Timeouts and block-time bounds; every gateway of a chain must use the same (docs/consensus.md).</summary>
    public CommunityGrid.Consensus.Machine.ConsensusParameters Parameters { get; init; } = new();

    /// <summary>Local address outgoing peer connections start from; null: the system's choice (multi-homed hosts, partition tests).</summary>
    public IPAddress? DialFrom { get; init; }

    /// <summary>
    /// Waiting transactions start a new height only once this long has passed on the node's clock since the tip's
    /// block time; an interval due to close, or a peer working on the next height, starts one at once. Zero: at once.
    /// Fewer, fuller blocks (the part CometBFT's timeout_commit plays); the simulator sets its block period. A local
    /// policy, not a validity rule: a proposal is judged the same whatever the spacing.
    /// </summary>
    public TimeSpan BlockSpacing { get; init; } = TimeSpan.Zero;

    /// <summary>
    /// This gateway was added to the validator set by a vote after the chain it starts from (an empty data directory
    /// and the genesis file, or a copy that predates the change): it runs without a vote, fetches the blocks from
    /// the validators it knows of, follows each set change as it replays, and votes once a set that lists its key
    /// is in force (governance.md §6). Off by default, so a wrong key file is still refused at start-up.
    /// </summary>
    public bool JoinAsAddedValidator { get; init; }

    /// <summary>Reconnect backoff cap towards a peer that is down; tests shorten it.</summary>
    public TimeSpan ReconnectMaxDelay { get; init; } = TimeSpan.FromSeconds(10);

    public const string SignStateFileName = "consensus-sign-state";
}
