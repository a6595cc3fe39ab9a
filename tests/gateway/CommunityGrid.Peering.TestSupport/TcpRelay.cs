using System;
using System.Collections.Generic;
using System.IO;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;

namespace CommunityGrid.Peering.TestSupport;

/// <summary>
/// A byte-for-byte TCP relay on 127.0.0.1 that the test controls: <see cref="Partition"/> cuts every connection
/// through it and refuses new ones until <see cref="Heal"/>. It sees only TLS records, so it can delay or cut a link
/// but not read or change it.
/// </summary>
public sealed class TcpRelay : IAsyncDisposable
{
    private readonly IPEndPoint target;
    private readonly TcpListener listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource stop = new();
    private readonly List<TcpClient> open = new();
    private Task? acceptLoop;
    private volatile bool partitioned;

    public TcpRelay(IPEndPoint target)
    {
        this.target = target;
    }

    public int Port => ((IPEndPoint)listener.LocalEndpoint).Port;

    public string Address => $"127.0.0.1:{Port}";

    public int Accepted { get; private set; }

    public bool IsPartitioned => partitioned;

    public TcpRelay Start()
    {
        listener.Start();
        acceptLoop = Task.Run(AcceptLoopAsync);
        return this;
    }

    public void Partition()
    {
        partitioned = true;
        CloseAll();
    }

    public void Heal() => partitioned = false;

    private async Task AcceptLoopAsync()
    {
        while (!stop.IsCancellationRequested)
        {
            TcpClient inbound;
            try
            {
                inbound = await listener.AcceptTcpClientAsync(stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }
            Accepted++;
            if (partitioned)
            {
                inbound.Dispose();
                continue;
            }
            _ = RelayAsync(inbound);
        }
    }

    private async Task RelayAsync(TcpClient inbound)
    {
        var outbound = new TcpClient();
        try
        {
            await outbound.ConnectAsync(target, stop.Token);
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException)
        {
            inbound.Dispose();
            outbound.Dispose();
            return;
        }
        lock (open)
        {
            open.Add(inbound);
            open.Add(outbound);
        }
        Task forward = PumpAsync(inbound.GetStream(), outbound.GetStream());
        Task backward = PumpAsync(outbound.GetStream(), inbound.GetStream());
        await Task.WhenAny(forward, backward);
        inbound.Dispose();
        outbound.Dispose();
        lock (open)
        {
            open.Remove(inbound);
            open.Remove(outbound);
        }
    }

    private async Task PumpAsync(Stream from, Stream to)
    {
        byte[] buffer = new byte[16 * 1024];
        try
        {
            while (true)
            {
                int read = await from.ReadAsync(buffer, stop.Token);
                if (read == 0 || partitioned)
                {
                    return;
                }
                await to.WriteAsync(buffer.AsMemory(0, read), stop.Token);
            }
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException or SocketException)
        {
            // Either side went away or the relay is stopping: the link is cut.
        }
    }

    private void CloseAll()
    {
        TcpClient[] clients;
        lock (open)
        {
            clients = open.ToArray();
            open.Clear();
        }
        foreach (TcpClient client in clients)
        {
            client.Dispose();
        }
    }

    public async ValueTask DisposeAsync()
    {
        stop.Cancel();
        listener.Stop();
        CloseAll();
        if (acceptLoop is not null)
        {
            await acceptLoop.WaitAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
        stop.Dispose();
    }
}
