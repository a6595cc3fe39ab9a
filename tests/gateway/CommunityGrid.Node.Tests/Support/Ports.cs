using System.Net;
using System.Net.Sockets;

namespace CommunityGrid.Node.Tests.Support;

public static class Ports
{
    /// <summary>A loopback port that was free a moment ago (the OS hands out ephemeral ports round-robin, so reuse right away is unlikely).</summary>
    public static int Free()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
