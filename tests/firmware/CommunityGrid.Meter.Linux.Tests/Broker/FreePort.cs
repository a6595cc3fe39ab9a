using System.Net;
using System.Net.Sockets;

namespace CommunityGrid.Meter.Linux.Tests.Broker;

public static class FreePort
{
    /// <summary>A loopback TCP port nobody listens on right now (the OS picks it; a race with another process is possible but rare).</summary>
    public static int Pick()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
