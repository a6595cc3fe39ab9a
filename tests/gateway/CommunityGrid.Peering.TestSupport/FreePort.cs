using System.Net;
using System.Net.Sockets;

namespace CommunityGrid.Peering.TestSupport;

/// <summary>A TCP port on 127.0.0.1 that was free a moment ago (bound to port 0, then released).</summary>
public static class FreePort
{
    public static int Next()
    {
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        int port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        return port;
    }
}
