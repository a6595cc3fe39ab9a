using System;
using System.IO;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Threading;
using System.Threading.Tasks;

namespace CommunityGrid.Peering.TestSupport;

/// <summary>
/// A man in the middle: terminates the dialer's TLS with a certificate of its own, opens its own TLS connection to
/// the real listener with another certificate of its own, and passes the plaintext both ways unchanged. Counts the
/// application bytes it saw, so a test can tell the relay really sat in the plaintext path.
/// </summary>
public sealed class TlsInterceptingRelay : IAsyncDisposable
{
    private readonly IPEndPoint target;
    private readonly TcpListener listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource stop = new();
    private readonly X509Certificate2 certificate;
    private long plaintextBytes;
    private Task? acceptLoop;

    public TlsInterceptingRelay(IPEndPoint target)
    {
        this.target = target;
        using ECDsa key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=mallory", key, HashAlgorithmName.SHA256);
        certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
    }

    public string Address => $"127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}";

    /// <summary>Plaintext bytes the relay decrypted and forwarded: above zero once both TLS sessions stood.</summary>
    public long PlaintextBytes => Interlocked.Read(ref plaintextBytes);

    public TlsInterceptingRelay Start()
    {
        listener.Start();
        acceptLoop = Task.Run(AcceptLoopAsync);
        return this;
    }

    private async Task AcceptLoopAsync()
    {
        while (!stop.IsCancellationRequested)
        {
            try
            {
                TcpClient inbound = await listener.AcceptTcpClientAsync(stop.Token);
                _ = InterceptAsync(inbound);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }
        }
    }

    private async Task InterceptAsync(TcpClient inbound)
    {
        using var outbound = new TcpClient();
        using var towardDialer = new SslStream(inbound.GetStream(), false);
        SslStream? towardListener = null;
        try
        {
            await towardDialer.AuthenticateAsServerAsync(new SslServerAuthenticationOptions
            {
                ServerCertificate = certificate,
                ClientCertificateRequired = true,
                EnabledSslProtocols = SslProtocols.Tls13,
                RemoteCertificateValidationCallback = (_, _, _, _) => true,
            }, stop.Token);
            await outbound.ConnectAsync(target, stop.Token);
            towardListener = new SslStream(outbound.GetStream(), false);
            await towardListener.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
            {
                TargetHost = "communitygrid-peer",
                ClientCertificateContext = SslStreamCertificateContext.Create(certificate, null, offline: true),
                EnabledSslProtocols = SslProtocols.Tls13,
                RemoteCertificateValidationCallback = (_, _, _, _) => true,
            }, stop.Token);
            await Task.WhenAny(PumpAsync(towardDialer, towardListener), PumpAsync(towardListener, towardDialer));
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or AuthenticationException or SocketException or ObjectDisposedException)
        {
            // One side gave up: that is what the test expects.
        }
        finally
        {
            towardListener?.Dispose();
            inbound.Dispose();
        }
    }

    private async Task PumpAsync(Stream from, Stream to)
    {
        byte[] buffer = new byte[16 * 1024];
        try
        {
            int read;
            while ((read = await from.ReadAsync(buffer, stop.Token)) > 0)
            {
                Interlocked.Add(ref plaintextBytes, read);
                await to.WriteAsync(buffer.AsMemory(0, read), stop.Token);
            }
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException)
        {
            // The link is cut.
        }
    }

    public async ValueTask DisposeAsync()
    {
        stop.Cancel();
        listener.Stop();
        if (acceptLoop is not null)
        {
            await acceptLoop.WaitAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
        certificate.Dispose();
        stop.Dispose();
    }
}
