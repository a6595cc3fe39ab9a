using System;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using MQTTnet.Adapter;
using MQTTnet.Diagnostics.Logger;
using MQTTnet.Formatter;
using MQTTnet.Implementations;
using MQTTnet.Server;
using Microsoft.Extensions.Logging;

namespace CommunityGrid.Node.Ingest;

/// <summary>
/// The embedded broker's TCP listener, in place of MQTTnet's own, which has no bound on packet size, on sockets that
/// never log in or on their number (issue 11, case 3). Every accepted socket counts against
/// <see cref="BrokerLimits.MaxConnections"/> until it closes, and its bytes pass through a
/// <see cref="PacketLimitChannel"/> on their way to MQTTnet.
/// </summary>
internal sealed class GuardedTcpServerAdapter(IPEndPoint endpoint, BrokerLimits limits, ILogger logger) : IMqttServerAdapter
{
    private readonly CancellationTokenSource stop = new();
    private Socket? listener;
    private int open;
    private int overLimitEpisode;
    private int disposed;

    /// <summary>
    /// Each connection's outgoing packet buffer, kept between packets (MQTTnet's default is 4 KB, 8 MB at 2,000 meters;
    /// issue 18, gateway RSS). Acks and PUBACKs fit; a larger packet (display or proof message, ~2 KB) grows it for
    /// that packet, after which MQTTnet's cleanup puts back a buffer of this size.
    /// </summary>
    internal const int WriterBufferBytes = 512;

    public Func<IMqttChannelAdapter, Task>? ClientHandler { get; set; }

    /// <summary>Sockets accepted and not yet closed.</summary>
    public int OpenConnections => Volatile.Read(ref open);

    public Task StartAsync(MqttServerOptions options, IMqttNetLogger mqttLogger)
    {
        var socket = new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            // A restarted gateway (after a crash) must get its port back while old connections linger in TIME_WAIT.
            socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            socket.Bind(endpoint);
            socket.Listen(options.DefaultEndpointOptions.ConnectionBacklog);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
        listener = socket;
        _ = Task.Run(() => AcceptLoopAsync(socket, options, mqttLogger));
        return Task.CompletedTask;
    }

    private async Task AcceptLoopAsync(Socket socket, MqttServerOptions options, IMqttNetLogger mqttLogger)
    {
        while (!stop.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await socket.AcceptAsync(stop.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException)
            {
                return;
            }
            catch (SocketException e)
            {
                logger.LogWarning("mqtt accept failed: {Error}", e.Message);
                continue;
            }
            if (Interlocked.Increment(ref open) > limits.MaxConnections)
            {
                Interlocked.Decrement(ref open);
                // Once per episode: a flood of sockets must not become a flood of log lines.
                if (Interlocked.Exchange(ref overLimitEpisode, 1) == 0)
                {
                    logger.LogWarning("mqtt connection limit reached ({Max} open); new connections are closed at once until some close (from={Remote})",
                        limits.MaxConnections, client.RemoteEndPoint);
                }
                client.Dispose();
                continue;
            }
            Interlocked.Exchange(ref overLimitEpisode, 0);
            _ = Task.Run(() => ServeAsync(client, options, mqttLogger));
        }
    }

    private async Task ServeAsync(Socket client, MqttServerOptions options, IMqttNetLogger mqttLogger)
    {
        EndPoint? remote = client.RemoteEndPoint;
        try
        {
            client.NoDelay = true;
            var stream = new NetworkStream(client, ownsSocket: true);
            var channel = new PacketLimitChannel(new MqttTcpChannel(stream, endpoint, remote, null), limits,
                why => logger.LogWarning("mqtt connection closed from={Remote}: {Reason}", remote, why));
            var formatter = new MqttPacketFormatterAdapter(new MqttBufferWriter(WriterBufferBytes, WriterBufferBytes));
            using var adapter = new MqttChannelAdapter(channel, formatter, mqttLogger);
            if (ClientHandler is { } handler) await handler(adapter).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            logger.LogDebug("mqtt connection from={Remote} ended: {Error}", remote, e.Message);
        }
        finally
        {
            client.Dispose();
            Interlocked.Decrement(ref open);
        }
    }

    public Task StopAsync()
    {
        if (Volatile.Read(ref disposed) == 0) stop.Cancel();
        listener?.Dispose();
        return Task.CompletedTask;
    }

    /// <summary>Idempotent: MQTTnet disposes its adapters when the server is disposed.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref disposed, 1) != 0) return;
        stop.Cancel();
        listener?.Dispose();
        stop.Dispose();
    }
}
