// Runs the ESP32 app's own GatewayLink and LcdScreen against BehaviourStubs.cs (issue 15 cases 2 and 3; issue 14's move
// to a new chain: refused, then applied, the old chain's reading first, then the new chain's brokers; issue 15's light
// client: proofs subscribed, only a verified proof releases, the signed acks again after a move). Prints one
// line per failed expectation and exits 1, or exits 0. Built and run by AppBehaviourTests.
using System;
using CommunityGrid.Meter.Configuration;
using CommunityGrid.Meter.Display;
using CommunityGrid.Meter.Esp32.Display;
using CommunityGrid.Meter.Esp32.Network;
using CommunityGrid.Meter.Intervals;
using CommunityGrid.Meter.LightClient;
using CommunityGrid.Meter.Messaging;
using CommunityGrid.Meter.Queue;
using CommunityGrid.Meter.Storage;
using CommunityGrid.Protocol.Crypto;
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
        var builder = new ReadingBuilder(config.ChainId, config.MeterId, config.IntervalSeconds, "esp32-test");
        var recorder = new IntervalRecorder(builder, new SequenceStore(store), new CoseReadingSigner(new byte[32]), queue, new ChainMoveStore(store));
        recorder.Start();
        var link = new GatewayLink(config, new byte[32], downlink, null, new MoveFollower(builder, recorder, queue, new TrustedSigners(config.GatewayKeys, config.InstallerKeys)), null);
        long now = 0;

        void ServiceUntilAttempt()
        {
            int before = MqttClient.Created;
            for (int i = 0; i < 100_000 && MqttClient.Created == before; i++)
            {
                now += 1_000;
                link.Service(now, queue, recorder.NextSequence - 1);
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

        // Issue 14: a move instruction signed by a stranger changes nothing; the gateway-signed one moves the meter from
        // the interval after next; the old chain's reading goes to the old broker and, once acked, the link goes to the new one.
        byte[] gatewaySeed = Convert.FromHexString("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60");
        const long Midnight = 1709251200;
        recorder.Poll(Midnight + 1, 0, 0, 0);
        MoveInstruction Move(long from) => new MoveInstruction("c", "meter-0001", "new", from, new[] { new byte[32] }, new[] { "mqtt://new-gw.local:1884" });
        MqttClient old = MqttClient.Last!;
        Expect(Array.IndexOf(old.Subscribed, "cg/c/meters/meter-0001/move") >= 0, "move: the old chain's move topic is subscribed");
        old.Deliver("cg/c/meters/meter-0001/move", Move(Midnight + 900).Sign(new byte[32]));
        link.Service(now += 1_000, queue, recorder.NextSequence - 1);
        Expect(recorder.Move == null, "move: a stranger's instruction is refused");
        old.Deliver("cg/c/meters/meter-0001/move", Move(Midnight + 900).Sign(gatewaySeed));
        link.Service(now += 1_000, queue, recorder.NextSequence - 1);
        Expect(recorder.Move != null && builder.MovedFromIntervalStart == Midnight + 900, "move: the gateway's instruction is applied");
        recorder.Poll(Midnight + 900, 10, 0, 0);   // seq 1, interval Midnight: the old chain's
        recorder.Poll(Midnight + 1800, 20, 0, 0);  // seq 2, interval Midnight+900: the new chain's
        link.Service(now += 1_000, queue, recorder.NextSequence - 1);
        Expect(MqttClient.Last == old && old.PublishedTopics.Contains("cg/c/meters/meter-0001/readings"), "move: the old chain's reading goes to the old broker");
        Expect(!old.PublishedTopics.Contains("cg/new/meters/meter-0001/readings"), "move: nothing of the new chain goes to the old broker");
        old.Deliver("cg/c/meters/meter-0001/acks", GatewayAckCodec.Sign(new GatewayAck("c", "meter-0001", 1, AckStatus.Committed, 5, 0, null), gatewaySeed));
        link.Service(now += 1_000, queue, recorder.NextSequence - 1);
        ServiceUntilAttempt();
        MqttClient moved = MqttClient.Last!;
        Expect(moved != old && moved.Broker == "new-gw.local:1884", "move: the link goes to the new chain's broker, not " + moved.Broker);
        Expect(moved.Password == MqttCredentials.Password("new", "meter-0001", new byte[32]), "move: it logs in with the new chain's password");
        link.Service(now += 1_000, queue, recorder.NextSequence - 1);
        Expect(moved.PublishedTopics.Contains("cg/new/meters/meter-0001/readings") && Array.IndexOf(moved.Subscribed, "cg/new/meters/meter-0001/acks") >= 0,
            "move: the new chain's reading goes to its topic and its acks are subscribed");

        HomeAssistant(key);
        LightClientMeter(key, gatewaySeed);

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

    /// <summary>
    /// Issue 15, the meter as a light client (docs/protocol.md §7.6-7.8), wired as MeterApp does: the proofs topic is
    /// subscribed, a commit ack releases nothing, a tampered proof releases nothing, the gateway-made proof (ProofFixture)
    /// releases the reading and its state is on the file store; after a move the new chain's signed acks release again.
    /// </summary>
    private static void LightClientMeter(string key, byte[] gatewaySeed)
    {
        MeterConfig config = MeterConfig.Parse("wifi.ssid = Home\nmqtt.host = gateway.local\nmqtt.tls = false\nchain.id = " + ProofFixture.ChainId + "\nmeter.id = " + ProofFixture.MeterId
            + "\ngateway.keys = " + key + "\nlightclient.validators = " + ProofFixture.Validators + "\n");
        byte[] seed = Convert.FromHexString(ProofFixture.MeterSeed);
        var store = new MemoryFileStore();
        var queue = new ReadingQueue(store, new QueueOptions());
        queue.Open();
        var display = new MeterDisplayState();
        var downlink = new GatewayDownlink(config.ChainId, config.MeterId, new TrustedSigners(config.GatewayKeys), queue, display, store);
        var builder = new ReadingBuilder(config.ChainId, config.MeterId, config.IntervalSeconds, "esp32-test");
        var recorder = new IntervalRecorder(builder, new SequenceStore(store), new CoseReadingSigner(seed), queue, new ChainMoveStore(store));
        recorder.Start();
        MeterLightClient? proofs = MeterLightClient.Start(config, Ed25519.PublicKeyFromSeed(seed), recorder.NextSequence - 1, queue, display, store, downlink);
        Expect(proofs != null && !downlink.ReleasesOnCommitAcks, "light client: started from lightclient.validators, commit acks no longer release");
        var link = new GatewayLink(config, seed, downlink, null, new MoveFollower(builder, recorder, queue, new TrustedSigners(config.GatewayKeys, config.InstallerKeys)), proofs);
        long now = 10_000_000;
        MqttClient.Next = BrokerBehaviour.Accept;
        int before = MqttClient.Created;
        for (int i = 0; i < 1_000 && !link.IsConnected; i++) link.Service(now += 1_000, queue, recorder.NextSequence - 1);
        MqttClient old = MqttClient.Last!;
        string meterTopic = "cg/" + ProofFixture.ChainId + "/meters/" + ProofFixture.MeterId + "/";
        Expect(link.IsConnected && MqttClient.Created > before, "light client: connected");
        Expect(Array.IndexOf(old.Subscribed, meterTopic + "proofs") >= 0 && Array.IndexOf(old.Subscribed, meterTopic + "acks") >= 0 && Array.IndexOf(old.Subscribed, meterTopic + "move") >= 0,
            "light client: the proofs topic is subscribed beside acks and move, got " + string.Join(" ", old.Subscribed));

        // The move to "new" from the second interval: reading 1 is the old chain's (the one the proof covers), reading 2 the new chain's.
        byte[] newGatewaySeed = new byte[32];
        newGatewaySeed[0] = 7;
        long first = ProofFixture.FirstInterval;
        recorder.Poll(first + 1, 0, 0, 0);
        old.Deliver(meterTopic + "move", new MoveInstruction(config.ChainId, config.MeterId, "new", first + 900, new[] { Ed25519.PublicKeyFromSeed(newGatewaySeed) },
            new[] { "mqtt://new-gw.local:1884" }).Sign(gatewaySeed));
        link.Service(now += 1_000, queue, recorder.NextSequence - 1);
        Expect(recorder.Move != null, "light client: the move is applied");
        recorder.Poll(first + 900, 1000, 10, 500);  // seq 1: what the proof's meter entry records
        recorder.Poll(first + 1800, 2000, 20, 1000); // seq 2: the new chain's
        link.Service(now += 1_000, queue, recorder.NextSequence - 1);
        Expect(old.PublishedTopics.Contains(meterTopic + "readings"), "light client: reading 1 is published");

        old.Deliver(meterTopic + "acks", GatewayAckCodec.Sign(new GatewayAck(config.ChainId, config.MeterId, 1, AckStatus.Committed, 5, 0, null), gatewaySeed));
        link.Service(now += 1_000, queue, recorder.NextSequence - 1);
        Expect(queue.ReleasedThrough == 0 && queue.Count == 2, "light client: a signed commit ack releases nothing, released through " + queue.ReleasedThrough);

        byte[] valid = Convert.FromHexString(ProofFixture.Message);
        byte[] tampered = (byte[])valid.Clone();
        tampered[tampered.Length - 1] ^= 0x01; // the last hash of the price's path (key 9, the last): a gateway lying about the price
        old.Deliver(meterTopic + "proofs", tampered);
        link.Service(now += 1_000, queue, recorder.NextSequence - 1);
        Expect(queue.ReleasedThrough == 0 && !display.BalanceVerified && !display.HasBalance && !display.HasPrice && !display.PriceVerified,
            "light client: a tampered proof releases nothing and shows no balance or price");

        old.Deliver(meterTopic + "proofs", valid);
        link.Service(now += 1_000, queue, recorder.NextSequence - 1);
        Expect(queue.ReleasedThrough == 1, "light client: the valid proof releases reading 1, released through " + queue.ReleasedThrough);
        Expect(display.BalanceVerified && display.BalanceMinor == -1234 && display.VerifiedHeight == 5, "light client: the balance shows verified at height 5");
        string priceLine = new LcdRenderer(20, 4).Render(LcdPage.Price, display)[1];
        Expect(display.PriceVerified && display.PriceMinorPerKwh == 23 && priceLine.TrimEnd().EndsWith("0.23"), "light client: the price shows verified, without a '?': " + priceLine);
        var restartedDisplay = new MeterDisplayState();
        MeterLightClient? restarted = MeterLightClient.Start(config, Ed25519.PublicKeyFromSeed(seed), 2, queue, restartedDisplay, store, downlink);
        Expect(restarted != null && restarted.Verifier.LatestVerifiedHeight == 5 && restartedDisplay.VerifiedHeight == 5, "light client: the verified header is on the file store after a restart");

        // Reading 1 released, the old chain is done: the link moves, and the new chain's signed acks release again (§7.8).
        link.Service(now += 1_000, queue, recorder.NextSequence - 1);
        for (int i = 0; i < 1_000 && (MqttClient.Last == old || !link.IsConnected); i++) link.Service(now += 1_000, queue, recorder.NextSequence - 1);
        MqttClient moved = MqttClient.Last!;
        Expect(moved != old && moved.Broker == "new-gw.local:1884", "light client: the link moves to the new chain's broker, not " + moved.Broker);
        Expect(Array.IndexOf(moved.Subscribed, "cg/new/meters/" + ProofFixture.MeterId + "/proofs") < 0 && Array.IndexOf(moved.Subscribed, "cg/new/meters/" + ProofFixture.MeterId + "/acks") >= 0,
            "light client: after the move no proofs topic, the new chain's acks, got " + string.Join(" ", moved.Subscribed));
        Expect(!display.LightClientOn, "light client: the LCD no longer names a verified height after the move");
        moved.Deliver("cg/new/meters/" + ProofFixture.MeterId + "/acks", GatewayAckCodec.Sign(new GatewayAck("new", config.MeterId, 2, AckStatus.Committed, 3, 0, null), newGatewaySeed));
        link.Service(now += 1_000, queue, recorder.NextSequence - 1);
        Expect(queue.ReleasedThrough == 2 && queue.Count == 0, "light client: after the move the new chain's signed ack releases reading 2, released through " + queue.ReleasedThrough);
    }

    /// <summary>Issue 16: the household broker's client (HomeAssistantLink) disposes failed clients, connects with a
    /// retained "offline" will, and publishes what the core's feed owes, retained, configs first, a few per round.</summary>
    private static void HomeAssistant(string key)
    {
        MeterConfig config = MeterConfig.Parse("wifi.ssid = Home\nmqtt.host = gateway.local\nmqtt.tls = false\nchain.id = c\nmeter.id = meter-0001\ngateway.keys = " + key
            + "\nhomeassistant.host = 192.168.1.10\nhomeassistant.username = ha\nhomeassistant.password = pw\n");
        var ha = new HomeAssistantLink(config.HomeAssistant, config.MeterId, "esp32-test");
        // Published records every client's publishes: the gateway link's readings of the move scenario above are not this link's.
        MqttClient.Published.Clear();
        var state = new MeterDisplayState();
        int created = MqttClient.Created, disposed = MqttClient.Disposed;
        long now = 1_000_000;
        MqttClient.Next = BrokerBehaviour.Refuse;
        for (int i = 0; i < 2_000 && MqttClient.Created < created + 3; i++) ha.Service(now += 1_000, state);
        Expect(MqttClient.Created - created >= 3 && MqttClient.Created - created == MqttClient.Disposed - disposed, "home assistant refused: retried, every client disposed");
        Expect(MqttClient.Published.Count == 0, "home assistant refused: nothing published");

        MqttClient.Next = BrokerBehaviour.Accept;
        for (int i = 0; i < 2_000 && MqttClient.Published.Count == 0; i++) ha.Service(now += 1_000, state);
        Expect(MqttClient.LastWill == ("communitygrid/meter-0001/availability", "offline", true), "home assistant: the will is a retained offline");
        Expect(MqttClient.Published.Count <= 2, "home assistant: at most two publishes per round, got " + MqttClient.Published.Count);
        for (int i = 0; i < 20; i++) ha.Service(now += 1_000, state);
        Expect(MqttClient.Published.Count == 7, "home assistant: six configs and online, got " + MqttClient.Published.Count);
        Expect(MqttClient.Published.TrueForAll(p => p.Retain && p.Qos == nanoFramework.M2Mqtt.Messages.MqttQoSLevel.AtLeastOnce), "home assistant: everything retained, QoS 1");
        Expect(MqttClient.Published.GetRange(0, 6).TrueForAll(p => p.Topic.StartsWith("homeassistant/sensor/communitygrid_meter-0001/", StringComparison.Ordinal) && p.Topic.EndsWith("/config", StringComparison.Ordinal)),
            "home assistant: the configs go first");
        Expect(MqttClient.Published[6] == ("communitygrid/meter-0001/availability", "online", nanoFramework.M2Mqtt.Messages.MqttQoSLevel.AtLeastOnce, true), "home assistant: then online");

        // A reading while the inflight queue is full: kept, and published once the queue has room.
        ha.Feed.Reading(900, 1_500, 0, 250);
        MqttClient.PublishQueueFull = true;
        ha.Service(now += 1_000, state);
        MqttClient.PublishQueueFull = false;
        for (int i = 0; i < 5; i++) ha.Service(now += 1_000, state);
        Expect(MqttClient.Published.Exists(p => p.Topic == "communitygrid/meter-0001/import_energy" && p.Payload == "1.500"), "home assistant: the reading's energy arrives after a full queue");
        Expect(MqttClient.Published.Count == 10, "home assistant: three energies after the full queue, got " + MqttClient.Published.Count);
    }
}
