using System;
using System.IO;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Threading;
using System.Threading.Tasks;
using CommunityGrid.Peering.Handshake;

namespace CommunityGrid.Peering.Transport;

/// <summary>
/// Turns a TCP connection into an authenticated one: TLS 1.3 with both ephemeral certificates, then the key proof,
/// all within the handshake timeout. Every failure becomes a <see cref="PeerProtocolException"/> with the reason,
/// and the socket is closed.
/// </summary>
internal sealed class ConnectionEstablisher
{
    private readonly TlsSetup tls;
    private readonly PeerHandshake handshake;
    private readonly TimeSpan timeout;

    public ConnectionEstablisher(TlsSetup tls, PeerHandshake handshake, TimeSpan timeout)
    {
        this.tls = tls;
        this.handshake = handshake;
        this.timeout = timeout;
    }

    public async Task<(SslStream Stream, PeerKey Peer)> EstablishAsync(TcpClient tcp, HandshakeRole role, PeerKey? expectedPeer, CancellationToken cancellationToken)
    {
        var stream = new SslStream(tcp.GetStream(), leaveInnerStreamOpen: false);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            if (role == HandshakeRole.Dialer)
            {
                await stream.AuthenticateAsClientAsync(tls.ForDialer(), deadline.Token).ConfigureAwait(false);
            }
            else
            {
                await stream.AuthenticateAsServerAsync(tls.ForListener(), deadline.Token).ConfigureAwait(false);
            }
            byte[] remoteCertificate = stream.RemoteCertificate?.GetRawCertData()
                ?? throw new PeerProtocolException("the peer presented no TLS certificate");
            PeerKey peer = await handshake.RunAsync(stream, role, expectedPeer, tls.Certificate.RawData, remoteCertificate, deadline.Token).ConfigureAwait(false);
            return (stream, peer);
        }
        catch (Exception e)
        {
            stream.Dispose();
            tcp.Dispose();
            PeerProtocolException? reason = Explain(e, cancellationToken);
            if (reason is not null)
            {
                throw reason;
            }
            throw;
        }
    }

    private PeerProtocolException? Explain(Exception e, CancellationToken cancellationToken) => e switch
    {
        OperationCanceledException when !cancellationToken.IsCancellationRequested =>
            new PeerProtocolException($"the handshake did not finish within {timeout.TotalSeconds:0.#} s"),
        AuthenticationException => new PeerProtocolException($"TLS handshake failed: {e.Message}"),
        IOException or SocketException or ObjectDisposedException => new PeerProtocolException($"connection lost during the handshake: {e.Message}"),
        _ => null,
    };
}
