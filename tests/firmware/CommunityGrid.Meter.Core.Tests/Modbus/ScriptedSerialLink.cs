using System;
using System.Collections.Generic;
using CommunityGrid.Meter.Bus;

namespace CommunityGrid.Meter.Tests.Modbus;

/// <summary>
/// An in-test RS-485 line: each request the master writes is handed to <see cref="Respond"/>, whose bytes
/// (or silence, for null) become readable. Timeouts pass instantly, so retries cost no wall time.
/// </summary>
public sealed class ScriptedSerialLink : ISerialLink
{
    private readonly Queue<byte> _incoming = new();

    public Func<byte[], byte[]?> Respond { get; set; } = _ => null;

    public List<byte[]> Requests { get; } = new();

    /// <summary>Bytes already on the line before the next request (e.g. a late reply).</summary>
    public void Inject(params byte[] bytes)
    {
        foreach (byte b in bytes) _incoming.Enqueue(b);
    }

    /// <summary>At most this many bytes per Read call, to exercise frames arriving in pieces.</summary>
    public int MaxBytesPerRead { get; set; } = int.MaxValue;

    public void Write(byte[] buffer, int offset, int count)
    {
        byte[] request = new byte[count];
        Array.Copy(buffer, offset, request, 0, count);
        Requests.Add(request);
        byte[]? response = Respond(request);
        if (response != null) Inject(response);
    }

    public int Read(byte[] buffer, int offset, int count, int timeoutMs)
    {
        Assert.True(timeoutMs > 0);
        int n = 0;
        while (n < count && n < MaxBytesPerRead && _incoming.Count > 0)
        {
            buffer[offset + n++] = _incoming.Dequeue();
        }
        return n;
    }

    /// <summary>A valid RTU frame: the bytes followed by their CRC, low byte first.</summary>
    public static byte[] Frame(params byte[] body)
    {
        byte[] frame = new byte[body.Length + 2];
        Array.Copy(body, frame, body.Length);
        CommunityGrid.Meter.Modbus.ModbusCrc.Append(frame, body.Length);
        return frame;
    }

    /// <summary>A normal read response carrying these register values.</summary>
    public static byte[] RegisterResponse(int slave, int function, params ushort[] registers)
    {
        byte[] body = new byte[3 + 2 * registers.Length];
        body[0] = (byte)slave;
        body[1] = (byte)function;
        body[2] = (byte)(2 * registers.Length);
        for (int i = 0; i < registers.Length; i++)
        {
            body[3 + 2 * i] = (byte)(registers[i] >> 8);
            body[4 + 2 * i] = (byte)registers[i];
        }
        return Frame(body);
    }
}
