using System.Diagnostics;
using System.Threading;
using nanoFramework.Networking;

namespace CommunityGrid.Meter.Esp32.Network
{
    /// <summary>Wi-Fi station with DHCP; waits for SNTP time, because readings are stamped with UTC intervals.</summary>
    internal static class WifiLink
    {
        /// <returns>false when not connected (with valid time) within the timeout; the helper keeps reconnecting.</returns>
        public static bool Connect(string ssid, string password, int timeoutMs)
        {
            var cancel = new CancellationTokenSource(timeoutMs);
            bool connected = WifiNetworkHelper.ConnectDhcp(ssid, password, requiresDateTime: true, token: cancel.Token);
            if (!connected)
            {
                string why = WifiNetworkHelper.HelperException == null ? "" : ": " + WifiNetworkHelper.HelperException.Message;
                Debug.WriteLine("Wi-Fi '" + ssid + "' not ready (" + WifiNetworkHelper.Status.ToString() + why + ")");
            }
            return connected;
        }

        public static bool IsConnected => WifiNetworkHelper.Status == NetworkHelperStatus.NetworkIsReady;
    }
}
