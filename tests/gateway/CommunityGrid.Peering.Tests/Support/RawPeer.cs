using System;
using System.Collections.Generic;
using System.Net.Security;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using CommunityGrid.Peering.Handshake;
using CommunityGrid.Peering.Transport;

namespace CommunityGrid.Peering.Tests.Support;

/// <summary>
/// A validator reduced to its handshake: it dials, proves its key like a real node, and then does only what the
/// test tells it (write raw bytes, or never read) instead of running the node's reader and writer.
/// </summary>
internal sealed class RawPeer : IAsyncDisposable
{
    private readonly LocalIdentity identity;
    private readonly TlsSetup tls = new(EphemeralCertificate.Create());

    public SslStream Stream { get; private set; } = null!;

    private RawPeer(byte[] seed)
    {
        identity = new LocalIdentity(seed);
    }

    public static async Task<RawPeer> ConnectAsync(byte[] seed, IEnumerable<PeerValidator> view, PeerKey target, int port)
    {
        var peer = new RawPeer(seed);
        var directory = new ValidatorDirectory(peer.identity.PublicKey, view);
        var establisher = new ConnectionEstablisher(peer.tls, new PeerHandshake(peer.identity, () => directory, TestSupport.PeerCluster.ChainId), TimeSpan.FromSeconds(5));
        var tcp = new TcpClient();
        await tcp.ConnectAsync("127.0.0.1", port);
        (peer.Stream, _) = await establisher.EstablishAsync(tcp, HandshakeRole.Dialer, target, CancellationToken.None);
        return peer;
    }

    public ValueTask DisposeAsync()
    {
        Stream?.Dispose();
        identity.Dispose();
        tls.Certificate.Dispose();
        return ValueTask.CompletedTask;
    }
}
