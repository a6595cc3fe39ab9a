using CommunityGrid.Peering.Transport;
using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Threading.Tasks;

namespace CommunityGrid.Peering.TestSupport;

/// <summary>
/// N validators on 127.0.0.1, each a real <see cref="PeerNetwork"/> on a free port. Nodes are sorted by key, so node 0
/// has the lowest key and dials everyone. Relays let a test cut and heal any set of links (a 2 vs 2 partition, one
/// isolated node) while the nodes keep their ports:
/// <list type="bullet">
/// <item><see cref="ClusterRelays.PerLink"/>: every directed link (dialer i to listener j) runs through its own
/// <see cref="TcpRelay"/>, node i's view of the set listing j at relay (i, j).</item>
/// <item><see cref="ClusterRelays.PerNode"/>: one relay in front of each node and one view for all (as with one genesis
/// file shared by separate processes); node i dials from its own 127.0.0.(10 + i), so the relays cut links by source.</item>
/// </list>
/// </summary>
public enum ClusterRelays
{
    None,
    PerLink,
    PerNode,
}

public sealed class PeerCluster : IAsyncDisposable
{
    public const string ChainId = "test-chain";

    private readonly TcpRelay?[,] relays;
    private readonly TcpRelay?[] nodeRelays;
    private readonly ClusterRelays mode;
    private readonly Func<PeerNetworkOptions, PeerNetworkOptions> configure;

    public IReadOnlyList<ClusterNode> Nodes { get; }

    private PeerCluster(IReadOnlyList<ClusterNode> nodes, ClusterRelays mode, Func<PeerNetworkOptions, PeerNetworkOptions> configure)
    {
        Nodes = nodes;
        this.mode = mode;
        this.configure = configure;
        relays = new TcpRelay?[nodes.Count, nodes.Count];
        nodeRelays = new TcpRelay?[nodes.Count];
        for (int to = 0; to < nodes.Count; to++)
        {
            var listenerEndPoint = new IPEndPoint(IPAddress.Loopback, nodes[to].Port);
            if (mode == ClusterRelays.PerNode)
            {
                nodeRelays[to] = new TcpRelay(listenerEndPoint).Start();
            }
            for (int from = 0; from < to && mode == ClusterRelays.PerLink; from++)
            {
                relays[from, to] = new TcpRelay(listenerEndPoint).Start();
            }
        }
    }

    /// <summary>The loopback address node <paramref name="index"/> dials from when relays are per node.</summary>
    public static IPAddress SourceOf(int index) => IPAddress.Parse($"127.0.0.{10 + index}");

    /// <summary>Options for tests: timeouts short enough that dead peers and reconnects show within seconds.</summary>
    public static PeerNetworkOptions FastOptions() => new()
    {
        ChainId = ChainId,
        HandshakeTimeout = TimeSpan.FromSeconds(3),
        KeepaliveInterval = TimeSpan.FromMilliseconds(200),
        IdleTimeout = TimeSpan.FromSeconds(2),
        ReconnectBaseDelay = TimeSpan.FromMilliseconds(50),
        ReconnectMaxDelay = TimeSpan.FromSeconds(1),
    };

    public static PeerCluster Create(int size, ClusterRelays relays = ClusterRelays.None, Func<PeerNetworkOptions, PeerNetworkOptions>? configure = null)
    {
        ClusterNode[] nodes = Enumerable.Range(0, size)
            .Select(_ => TestKeys.New())
            .OrderBy(key => key.Key)
            .Select((key, index) => new ClusterNode(index, key.Seed, key.Key, LoopbackPorts.Reserve()))
            .ToArray();
        return new PeerCluster(nodes, relays, configure ?? (options => options));
    }

    /// <summary>The validator set as node <paramref name="viewer"/> sees it (relay addresses when relayed).</summary>
    public IReadOnlyList<PeerValidator> ViewOf(int viewer) => Nodes
        .Select(node => new PeerValidator(node.Key, AddressFor(viewer, node.Index)))
        .ToArray();

    public string AddressFor(int viewer, int target) =>
        relays[viewer, target]?.Address ?? nodeRelays[target]?.Address ?? $"127.0.0.1:{Nodes[target].Port}";

    public TcpRelay? Relay(int dialer, int listener) => relays[dialer, listener];

    /// <summary>A network for node <paramref name="index"/> listening on its port, with the given view of the set.</summary>
    public PeerNetwork NewNetwork(int index, IEnumerable<PeerValidator> view, PeerNetworkOptions? options = null)
    {
        ClusterNode node = Nodes[index];
        PeerNetworkOptions chosen = (options ?? configure(FastOptions())) with
        {
            ListenEndPoint = new IPEndPoint(IPAddress.Loopback, node.Port),
            DialFrom = mode == ClusterRelays.PerNode ? SourceOf(index) : null,
        };
        return new PeerNetwork(chosen, node.Seed, view, node.Logger);
    }

    public async Task StartAllAsync()
    {
        foreach (ClusterNode node in Nodes)
        {
            await StartAsync(node.Index);
        }
    }

    /// <summary>Starts node <paramref name="index"/> with <paramref name="view"/>, or with its view of the whole cluster.</summary>
    public async Task StartAsync(int index, IEnumerable<PeerValidator>? view = null)
    {
        ClusterNode node = Nodes[index];
        if (node.Network is not null)
        {
            throw new InvalidOperationException($"node {index} is already running");
        }
        node.Network = NewNetwork(index, view ?? ViewOf(index));
        await node.Network.StartAsync();
    }

    /// <summary>Stops node <paramref name="index"/> as a crash would look to its peers: its sockets close.</summary>
    public async Task StopAsync(int index)
    {
        ClusterNode node = Nodes[index];
        if (node.Network is { } network)
        {
            node.Network = null;
            await network.DisposeAsync();
        }
    }

    /// <summary>Cuts every link between the two sides, both directions; links inside a side stay.</summary>
    public void Partition(IEnumerable<int> sideA, IEnumerable<int> sideB)
    {
        int[] b = sideB.ToArray();
        foreach (int a in sideA)
        {
            foreach (int other in b)
            {
                Cut(a, other);
            }
        }
    }

    private void Cut(int one, int other)
    {
        switch (mode)
        {
            case ClusterRelays.PerLink:
                relays[Math.Min(one, other), Math.Max(one, other)]!.Partition();
                break;
            case ClusterRelays.PerNode:
                nodeRelays[one]!.Block(SourceOf(other));
                nodeRelays[other]!.Block(SourceOf(one));
                break;
            default:
                throw new InvalidOperationException("the cluster was created without relays");
        }
    }

    public void HealAll()
    {
        foreach (TcpRelay? relay in relays.Cast<TcpRelay?>().Concat(nodeRelays))
        {
            relay?.Heal();
        }
    }

    /// <summary>True when every running node of <paramref name="members"/> is connected to every other one of them.</summary>
    public bool Connected(IEnumerable<int> members)
    {
        int[] indexes = members.ToArray();
        foreach (int index in indexes)
        {
            PeerNetwork? network = Nodes[index].Network;
            if (network is null)
            {
                return false;
            }
            var connected = network.Peers.Where(peer => peer.Connected).Select(peer => peer.Key).ToHashSet();
            if (indexes.Any(other => other != index && !connected.Contains(Nodes[other].Key)))
            {
                return false;
            }
        }
        return true;
    }

    public bool FullMesh => Connected(Enumerable.Range(0, Nodes.Count));

    public async ValueTask DisposeAsync()
    {
        foreach (ClusterNode node in Nodes)
        {
            await StopAsync(node.Index);
        }
        foreach (TcpRelay? relay in relays.Cast<TcpRelay?>().Concat(nodeRelays))
        {
            if (relay is not null)
            {
                await relay.DisposeAsync();
            }
        }
    }
}

/// <summary>One validator of a <see cref="PeerCluster"/>: its key, its port, its log and its running network, if any.</summary>
public sealed class ClusterNode
{
    public ClusterNode(int index, byte[] seed, PeerKey key, int port)
    {
        Index = index;
        Seed = seed;
        Key = key;
        Port = port;
    }

    public int Index { get; }
    public byte[] Seed { get; }
    public PeerKey Key { get; }
    public int Port { get; }
    public RecordingLogger Logger { get; } = new();
    public PeerNetwork? Network { get; internal set; }
}
