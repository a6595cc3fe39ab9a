using System;
using System.Collections.Generic;
using System.IO;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;

namespace CommunityGrid.Peering.TestSupport;

/// <summary>
/// A byte-for-byte TCP relay on 127.0.0.1 that the test controls. <see cref="Partition"/> cuts every connection
/// through it and refuses new ones until <see cref="Heal"/>; <see cref="Block"/> does the same only for connections
/// from one source address (dialers that bind their own 127.0.0.x, <see cref="PeerNetworkOptions.DialFrom"/>). It sees
/// only TLS records, so it can delay or cut a link but not read or change it.
/// </summary>
public sealed class TcpRelay : IAsyncDisposable
{
    private readonly IPEndPoint target;
    private readonly TcpListener listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource stop = new();
    private readonly List<Link> open = new();
    private readonly HashSet<IPAddress> blocked = new();
    private Task? acceptLoop;
    private volatile bool partitioned;
    private int accepted;

    private sealed record Link(IPAddress Source, TcpClient Inbound, TcpClient Outbound);

    public TcpRelay(IPEndPoint target)
    {
        this.target = target;
    }

    public int Port => ((IPEndPoint)listener.LocalEndpoint).Port;

    public string Address => $"127.0.0.1:{Port}";

    public int Accepted => Volatile.Read(ref accepted);

    public TcpRelay Start()
    {
        listener.Start();
        acceptLoop = Task.Run(AcceptLoopAsync);
        return this;
    }

    public void Partition()
    {
        partitioned = true;
        CloseWhere(_ => true);
    }

    /// <summary>Cuts and refuses connections from <paramref name="source"/> only.</summary>
    public void Block(IPAddress source)
    {
        lock (open)
        {
            blocked.Add(source);
        }
        CloseWhere(link => link.Source.Equals(source));
    }

    /// <summary>Lifts <see cref="Partition"/> and every <see cref="Block"/>.</summary>
    public void Heal()
    {
        lock (open)
        {
            blocked.Clear();
        }
        partitioned = false;
    }

    private bool Refuses(IPAddress source)
    {
        lock (open)
        {
            return partitioned || blocked.Contains(source);
        }
    }

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
            Interlocked.Increment(ref accepted);
            IPAddress source = ((IPEndPoint)inbound.Client.RemoteEndPoint!).Address;
            if (Refuses(source))
            {
                inbound.Dispose();
                continue;
            }
            _ = RelayAsync(source, inbound);
        }
    }

    private async Task RelayAsync(IPAddress source, TcpClient inbound)
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
        var link = new Link(source, inbound, outbound);
        lock (open)
        {
            open.Add(link);
        }
        Task forward = PumpAsync(link, inbound.GetStream(), outbound.GetStream());
        Task backward = PumpAsync(link, outbound.GetStream(), inbound.GetStream());
        await Task.WhenAny(forward, backward);
        inbound.Dispose();
        outbound.Dispose();
        lock (open)
        {
            open.Remove(link);
        }
    }

    private async Task PumpAsync(Link link, Stream from, Stream to)
    {
        byte[] buffer = new byte[16 * 1024];
        try
        {
            while (true)
            {
                int read = await from.ReadAsync(buffer, stop.Token);
                if (read == 0 || Refuses(link.Source))
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

    private void CloseWhere(Func<Link, bool> predicate)
    {
        List<Link> cut;
        lock (open)
        {
            cut = open.FindAll(link => predicate(link));
            open.RemoveAll(link => predicate(link));
        }
        foreach (Link link in cut)
        {
            link.Inbound.Dispose();
            link.Outbound.Dispose();
        }
    }

    public async ValueTask DisposeAsync()
    {
        stop.Cancel();
        listener.Stop();
        CloseWhere(_ => true);
        if (acceptLoop is not null)
        {
            await acceptLoop.WaitAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
        stop.Dispose();
    }
}
