using System;
using System.Collections.Generic;
using System.IO;
using System.Net;
using System.Net.Sockets;

namespace CommunityGrid.Peering.Transport;

/// <summary>
/// Loopback ports for gateways a process starts itself (the simulator's street gateways, test clusters), handed out
/// before anything binds them: a peer port must be written into the genesis before its gateway starts.
/// </summary>
/// <remarks>
/// Three ways a port that was "free a moment ago" gets taken before its server binds it, each closed here:
/// <list type="bullet">
/// <item>an outgoing socket of this or any process takes it as its local port: ports are drawn below Linux's
/// ephemeral range (32768-60999 by default), never from the OS's port 0;</item>
/// <item>this process hands the same port out twice (a cluster draws a dozen before the first gateway binds one):
/// a port is handed out once per process;</item>
/// <item>another process draws the same port at the same time (test projects run in parallel): each port handed out
/// holds an exclusive lock on a file named for it until this process ends (.NET takes flock on Linux for
/// <see cref="FileShare.None"/>; the kernel drops it when the process dies, even by kill -9).</item>
/// </list>
/// A stopped gateway restarted by the same process gets its own port back: it stays reserved.
/// </remarks>
public static class LoopbackPorts
{
    private const int First = 20000;
    private const int Last = 32000;
    private const int Attempts = 500;

    private static readonly object Gate = new();
    private static readonly HashSet<int> HandedOut = new();
    private static readonly List<FileStream> HeldLocks = new();
    private static readonly string LockDirectory = Path.Combine(Path.GetTempPath(), "communitygrid-ports");

    /// <summary>A loopback port nobody listens on, that no other caller of this method (in any process) gets while this process runs.</summary>
    public static int Reserve()
    {
        lock (Gate)
        {
            for (int attempt = 0; attempt < Attempts; attempt++)
            {
                int port = Random.Shared.Next(First, Last);
                if (HandedOut.Contains(port)) continue;
                if (!TryLockAcrossProcesses(port, out FileStream? held)) continue;
                if (!IsFree(port))
                {
                    held?.Dispose();
                    continue;
                }
                HandedOut.Add(port);
                if (held is not null) HeldLocks.Add(held);
                return port;
            }
        }
        throw new InvalidOperationException(
            $"no free loopback port found in {First}..{Last} after {Attempts} draws: too many listeners on this machine, or stale locks in {LockDirectory}");
    }

    private static bool TryLockAcrossProcesses(int port, out FileStream? held)
    {
        held = null;
        try
        {
            Directory.CreateDirectory(LockDirectory);
            held = new FileStream(Path.Combine(LockDirectory, $"{port}.lock"), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            return true;
        }
        catch (UnauthorizedAccessException)
        {
            // The directory belongs to another user: fall back to this process's own bookkeeping and the bind probe.
            return true;
        }
        catch (IOException)
        {
            // Another process holds this port's lock.
            return false;
        }
    }

    private static bool IsFree(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            listener.Stop();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
