// Runs the ESP32 app's own GatewayLink and LcdScreen against BehaviourStubs.cs (issue 15 cases 2 and 3). Prints one
// line per failed expectation and exits 1, or exits 0. Built and run by AppBehaviourTests.
using System;
using CommunityGrid.Meter.Configuration;
using CommunityGrid.Meter.Display;
using CommunityGrid.Meter.Esp32.Display;
using CommunityGrid.Meter.Esp32.Network;
using CommunityGrid.Meter.Messaging;
using CommunityGrid.Meter.Queue;
using CommunityGrid.Meter.Storage;
using nanoFramework.M2Mqtt;

internal static class Scenarios
{
    private static int _failures;

    private static void Expect(bool condition, string what)
    {
        if (condition) return;
        _failures++;
        Console.WriteLine("FAILED: " + what + $" (clients created {MqttClient.Created}, disposed {MqttClient.Disposed})");
    }

    public static int Main()
    {
        const string key = "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a";
        MeterConfig config = MeterConfig.Parse("wifi.ssid = Home\nmqtt.host = gateway.local\nmqtt.tls = false\nchain.id = c\nmeter.id = meter-0001\ngateway.keys = " + key + "\n");
        var store = new MemoryFileStore();
        var queue = new ReadingQueue(store, new QueueOptions());
        queue.Open();
        var downlink = new GatewayDownlink(config.ChainId, config.MeterId, new TrustedSigners(new[] { Convert.FromHexString(key) }), queue, new MeterDisplayState(), store);
        var link = new GatewayLink(config, new byte[32], downlink, null);
        long now = 0;

        void ServiceUntilAttempt()
        {
            int before = MqttClient.Created;
            for (int i = 0; i < 100_000 && MqttClient.Created == before; i++)
            {
                now += 1_000;
                link.Service(now, queue);
            }
        }

        foreach (BrokerBehaviour failure in new[] { BrokerBehaviour.Refuse, BrokerBehaviour.TimeOut, BrokerBehaviour.AcceptThenFailSubscribe })
        {
            MqttClient.Next = failure;
            for (int attempt = 0; attempt < 5; attempt++) ServiceUntilAttempt();
            Expect(MqttClient.Created >= 5, failure + ": the link retries");
            Expect(MqttClient.Created == MqttClient.Disposed, failure + ": every client of a failed connect is disposed");
            Expect(!link.IsConnected, failure + ": not connected");
        }

        MqttClient.Next = BrokerBehaviour.Accept;
        ServiceUntilAttempt();
        Expect(link.IsConnected, "accepted: connected");
        Expect(MqttClient.Created == MqttClient.Disposed + 1, "accepted: the connected client is kept, the others are disposed");
        MqttClient first = MqttClient.Last!;
        first.IsConnected = false; // the broker went away
        ServiceUntilAttempt();
        Expect(link.IsConnected && MqttClient.Last != first, "dropped: a new client connects");
        Expect(MqttClient.Created == MqttClient.Disposed + 1, "dropped: the dropped client is disposed before the new one");

        // Case 3: a CONFIG ERROR screen, then the configured one once the file is fixed (no reboot).
        try
        {
            _ = new LcdScreen(0x27, 16, 2);
            _ = new LcdScreen(0x3F, 20, 4);
            Expect(System.Device.Gpio.GpioController.Opened == 1, "the page button pin is opened once");
        }
        catch (InvalidOperationException e)
        {
            Expect(false, "a second LCD screen failed: " + e.Message);
        }
        return _failures == 0 ? 0 : 1;
    }
}
