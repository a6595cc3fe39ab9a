using CommunityGrid.Peering.Transport;
using System;
using System.Linq;
using System.Net;
using System.Threading.Tasks;
using CommunityGrid.Peering.Tests.Support;
using CommunityGrid.Peering.TestSupport;

namespace CommunityGrid.Peering.Tests;

/// <summary>Who must not get in: a key outside the set, the wrong key at an address, a man in the middle.</summary>
public sealed class PeerNetworkRefusalTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task A_node_whose_key_is_not_in_the_validator_set_is_refused_with_the_reason_logged()
    {
        await using PeerCluster cluster = PeerCluster.Create(2);
        await cluster.StartAllAsync();
        Assert.True(await Eventually.HoldsAsync(() => cluster.FullMesh, Patience));

        // The stranger believes itself a validator and dials every listed node with a higher key than its own.
        (byte[] seed, PeerKey key) stranger = TestKeys.New();
        for (int tries = 0; tries < 100 && stranger.key.CompareTo(cluster.Nodes[1].Key) > 0; tries++)
        {
            stranger = TestKeys.New();
        }
        Assert.True(stranger.key.CompareTo(cluster.Nodes[1].Key) < 0);
        var strangerLog = new RecordingLogger();
        var view = cluster.ViewOf(0).Append(new PeerValidator(stranger.key, $"127.0.0.1:{LoopbackPorts.Reserve()}"));
        await using var strangerNetwork = new PeerNetwork(PeerCluster.FastOptions() with { ListenEndPoint = new IPEndPoint(IPAddress.Loopback, 0) }, stranger.seed, view, strangerLog);
        await strangerNetwork.StartAsync();

        RecordingLogger targetLog = cluster.Nodes[1].Logger;
        string reason = $"key {stranger.key.Short} is not in the validator set";
        Assert.True(await Eventually.HoldsAsync(() => targetLog.Contains(reason) && strangerLog.Contains("the peer refused this node: " + reason), Patience),
            string.Join("\n", targetLog.Lines.Concat(strangerLog.Lines)));
        Assert.All(strangerNetwork.Peers, peer => Assert.Equal(0, peer.Connections));
        Assert.All(cluster.Nodes, node => Assert.Equal(1, node.Network!.Peers.Single().Connections));
    }

    [Fact]
    public async Task A_node_presenting_another_key_than_the_one_listed_for_the_address_is_refused()
    {
        await using PeerCluster cluster = PeerCluster.Create(3);
        await cluster.StartAsync(1);
        await cluster.StartAsync(2);
        // Node 0 has the addresses of validators 1 and 2 swapped: at "1's address" validator 2 answers, and vice versa.
        PeerValidator[] swapped =
        [
            new(cluster.Nodes[0].Key, cluster.AddressFor(0, 0)),
            new(cluster.Nodes[1].Key, cluster.AddressFor(0, 2)),
            new(cluster.Nodes[2].Key, cluster.AddressFor(0, 1)),
        ];
        await using PeerNetwork confused = cluster.NewNetwork(0, swapped);
        await confused.StartAsync();

        RecordingLogger log = cluster.Nodes[0].Logger;
        string expected = $"the address of validator {cluster.Nodes[1].Key.Short} answered with key {cluster.Nodes[2].Key.Short}";
        Assert.True(await Eventually.HoldsAsync(() => log.Contains(expected) && cluster.Connected([1, 2]), Patience), string.Join("\n", log.Lines));
        PeerStatus one = confused.Peers.Single(peer => peer.Key.Equals(cluster.Nodes[1].Key));
        Assert.Equal(0, one.Connections);
        Assert.Contains("answered with key", one.LastError);
        Assert.All(confused.Peers, peer => Assert.False(peer.Connected));
    }

    [Fact]
    public async Task A_relay_that_terminates_TLS_with_its_own_certificates_cannot_complete_the_handshake()
    {
        await using PeerCluster cluster = PeerCluster.Create(2);
        await using var mallory = new TlsInterceptingRelay(new IPEndPoint(IPAddress.Loopback, cluster.Nodes[1].Port)).Start();
        await cluster.StartAsync(1);
        PeerValidator[] throughMallory =
        [
            new(cluster.Nodes[0].Key, cluster.AddressFor(0, 0)),
            new(cluster.Nodes[1].Key, mallory.Address),
        ];
        await using PeerNetwork dialer = cluster.NewNetwork(0, throughMallory);
        await dialer.StartAsync();

        const string reason = "does not verify over this connection";
        Assert.True(await Eventually.HoldsAsync(
            () => cluster.Nodes[0].Logger.Contains(reason) && cluster.Nodes[1].Logger.Contains(reason), Patience),
            string.Join("\n", cluster.Nodes[0].Logger.Lines.Concat(cluster.Nodes[1].Logger.Lines)));
        // Both TLS sessions stood and the relay passed the plaintext hello and proofs: only the key proof stopped it.
        Assert.True(mallory.PlaintextBytes > 0);
        Assert.Equal(0, dialer.Peers.Single().Connections);
        Assert.Equal(0, cluster.Nodes[1].Network!.Peers.Single().Connections);
    }

    [Fact]
    public async Task A_validator_dialing_a_lower_key_is_refused_so_each_pair_keeps_one_connection()
    {
        await using PeerCluster cluster = PeerCluster.Create(2);
        await cluster.StartAsync(0);

        var error = await Assert.ThrowsAsync<PeerProtocolException>(async () =>
            await RawPeer.ConnectAsync(cluster.Nodes[1].Seed, cluster.ViewOf(1), cluster.Nodes[0].Key, cluster.Nodes[0].Port));

        Assert.Contains($"the peer refused this node: validator {cluster.Nodes[1].Key.Short} dialed this node, but of each pair only the lower key dials", error.Message);
        Assert.True(await Eventually.HoldsAsync(() => cluster.Nodes[0].Logger.Contains("only the lower key dials"), Patience));
        Assert.Equal(0, cluster.Nodes[0].Network!.Peers.Single().Connections);
    }
}
