using System;
using System.IO;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;

namespace CommunityGrid.Node.Tests.Support;

/// <summary>A bare TCP client that writes the bytes a test gives (no MQTT library in between) and notices when the server closes it.</summary>
public sealed class RawSocket : IDisposable
{
    private readonly TcpClient client = new();

    public static async Task<RawSocket> ConnectAsync(int port)
    {
        var socket = new RawSocket();
        await socket.client.ConnectAsync("127.0.0.1", port);
        return socket;
    }

    /// <summary>Writes; false when the server has already closed the connection.</summary>
    public async Task<bool> TryWriteAsync(byte[] bytes)
    {
        try
        {
            await client.GetStream().WriteAsync(bytes);
            return true;
        }
        catch (IOException)
        {
            return false;
        }
    }

    /// <summary>True when the server closes the connection (end of stream or reset) within <paramref name="within"/>; bytes it sends first are skipped.</summary>
    public async Task<bool> ClosedByServerAsync(TimeSpan within)
    {
        using var timeout = new CancellationTokenSource(within);
        byte[] buffer = new byte[256];
        try
        {
            while (await client.GetStream().ReadAsync(buffer, timeout.Token) > 0)
            {
            }
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
        catch (IOException)
        {
            return true;
        }
    }

    /// <summary>The fixed header of an MQTT packet of <paramref name="type"/> (high nibble) whose remaining length is <paramref name="remainingLength"/> (MQTT 5 §2.1.4).</summary>
    public static byte[] FixedHeader(byte type, int remainingLength)
    {
        var header = new System.Collections.Generic.List<byte> { type };
        do
        {
            byte digit = (byte)(remainingLength % 128);
            remainingLength /= 128;
            header.Add(remainingLength > 0 ? (byte)(digit | 0x80) : digit);
        }
        while (remainingLength > 0);
        return [.. header];
    }

    public void Dispose() => client.Dispose();
}
