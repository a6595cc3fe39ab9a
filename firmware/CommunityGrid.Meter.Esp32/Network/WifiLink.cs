using System;
using System.Net.NetworkInformation;
using System.Threading;
using nanoFramework.Networking;

namespace CommunityGrid.Meter.Esp32.Network
{
    /// <summary>
    /// Wi-Fi station with DHCP; waits for SNTP time, because readings are stamped with UTC intervals. The state the LCD
    /// shows follows the network's availability events: <c>WifiNetworkHelper.Status</c> only reports how the connect
    /// call ended and stayed "ready" after a drop. The station reconnects by itself (the helper's automatic reconnection).
    /// </summary>
    internal static class WifiLink
    {
        private static int s_available; // 1 while the network is up; an int for Interlocked (no volatile on nanoFramework)

        /// <returns>false when not connected (with valid time) within the timeout; the helper keeps reconnecting.</returns>
        public static bool Connect(string ssid, string password, int timeoutMs)
        {
            NetworkChange.NetworkAvailabilityChanged += OnAvailabilityChanged;
            var cancel = new CancellationTokenSource(timeoutMs);
            bool connected = WifiNetworkHelper.ConnectDhcp(ssid, password, requiresDateTime: true, token: cancel.Token);
            if (connected) Interlocked.Exchange(ref s_available, 1);
            else
            {
                string why = WifiNetworkHelper.HelperException == null ? "" : ": " + WifiNetworkHelper.HelperException.Message;
                Console.WriteLine("Wi-Fi '" + ssid + "' not ready (" + WifiNetworkHelper.Status.ToString() + why + ")");
            }
            return connected;
        }

        public static bool IsConnected => Interlocked.CompareExchange(ref s_available, 0, 0) == 1;

        private static void OnAvailabilityChanged(object sender, NetworkAvailabilityEventArgs e)
        {
            Interlocked.Exchange(ref s_available, e.IsAvailable ? 1 : 0);
            Console.WriteLine(e.IsAvailable ? "Wi-Fi up" : "Wi-Fi down; reconnecting");
        }
    }
}
