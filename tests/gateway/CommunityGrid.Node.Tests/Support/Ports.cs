using System;
using System.Net;
using System.Net.Sockets;

namespace CommunityGrid.Node.Tests.Support;

public static class Ports
{
    // Below Linux's ephemeral range (32768-60999 by default): the outgoing sockets of tests (hundreds, in the broker
    // limit tests) take their local ports from that range, and one of them could take a port handed out here
    // before its server binds it.
    private const int First = 20000;
    private const int Last = 32000;

    /// <summary>A loopback port that was free a moment ago, drawn at random outside the ephemeral range.</summary>
    public static int Free()
    {
        for (int attempt = 0; attempt < 100; attempt++)
        {
            int port = Random.Shared.Next(First, Last);
            try
            {
                using var listener = new TcpListener(IPAddress.Loopback, port);
                listener.Start();
                listener.Stop();
                return port;
            }
            catch (SocketException)
            {
                // Taken; draw again.
            }
        }
        throw new InvalidOperationException($"no free loopback port found in {First}..{Last}");
    }
}
