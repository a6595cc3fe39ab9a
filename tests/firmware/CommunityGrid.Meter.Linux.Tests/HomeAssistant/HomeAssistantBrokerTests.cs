using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using CommunityGrid.Meter.HomeAssistant;
using CommunityGrid.Meter.Linux.Tests.Broker;
using CommunityGrid.Meter.Linux.Tests.Gateway;
using CommunityGrid.Meter.Linux.Tests.Meter;
using CommunityGrid.Meter.Linux.Tests.Mqtt;
using MQTTnet;

namespace CommunityGrid.Meter.Linux.Tests.HomeAssistant;

/// <summary>
/// A virtual meter with Home Assistant on: the community's Mosquitto and the household's own Mosquitto, a subscriber on
/// the household broker checking every discovery payload against Home Assistant's MQTT sensor schema and the states
/// against the meter's readings, and that nothing else reaches the household broker.
/// </summary>
[Collection(MosquittoCollection.Name)]
public sealed class HomeAssistantBrokerTests
{
    private static readonly DateTimeOffset Morning = new(2026, 6, 21, 8, 0, 0, TimeSpan.Zero);
    private const string MeterId = "meter-0005";
    private const string Node = "communitygrid_meter-0005";

    // Home Assistant's sensor device classes used here and the units it accepts for them (sensor.mqtt, SensorDeviceClass).
    private static readonly Dictionary<string, string[]> UnitsByDeviceClass = new()
    {
        ["power"] = ["W", "kW", "MW", "GW", "TW", "mW", "BTU/h"],
        ["energy"] = ["J", "kJ", "MJ", "GJ", "mWh", "Wh", "kWh", "MWh", "GWh", "TWh", "cal", "kcal", "Mcal", "Gcal"],
        ["monetary"] = ["EUR"],
    };

    private static readonly string[] StateClasses = ["measurement", "total", "total_increasing"];

    [Fact]
    public async Task Discovery_payloads_follow_the_sensor_schema_states_follow_the_readings_and_nothing_else_reaches_the_house_broker()
    {
        using var community = new MosquittoBroker();
        using var house = new MosquittoBroker();
        var seen = new ConcurrentQueue<(string Topic, string Payload, bool Retained)>();
        using IMqttClient subscriber = await SubscribeAllAsync(house.Port, seen);

        using var home = new VirtualMeterHome(MeterId, community.Url, intervalSeconds: 60, resendSeconds: 2, homeAssistantUrl: house.Url);
        await using var gateway = new TestGateway(community.Port, VirtualMeterHome.ChainId, home.MeterId, home.MeterPublicKey, home.Gateway, acking: true);
        await gateway.WaitConnectedAsync(TimeSpan.FromSeconds(10));
        using var meter = home.Start(timeScale: 60, start: Morning);
        meter.WaitFor(line => line.Event == "reading.queued" && line.Long("seq") == 3, TimeSpan.FromSeconds(30), "reading 3 queued");
        await gateway.PublishDisplayAsync(GatewayMessages.SignDisplay(new GatewayMessages.DisplayData(VirtualMeterHome.ChainId, home.MeterId, 2150, -1234, 77), home.Gateway));
        await Until(() => Last(seen, $"communitygrid/{MeterId}/balance") == "-12.34", "the balance state");
        Assert.Equal(0, meter.Terminate(TimeSpan.FromSeconds(10)));
        await Until(() => Last(seen, $"communitygrid/{MeterId}/availability") == "offline", "offline after a clean stop");

        // Nothing but discovery and the meter's own states: no reading, ack or display topic of the community broker.
        Assert.All(seen, m => Assert.True(m.Topic.StartsWith($"homeassistant/sensor/{Node}/", StringComparison.Ordinal)
            || m.Topic.StartsWith($"communitygrid/{MeterId}/", StringComparison.Ordinal), $"unexpected topic on the household broker: {m.Topic}"));

        var configs = seen.Where(m => m.Topic.EndsWith("/config", StringComparison.Ordinal)).GroupBy(m => m.Topic).Select(g => g.Last()).ToList();
        Assert.Equal(["balance", "export_energy", "export_power", "import_energy", "import_power", "price", "pv_energy", "pv_power"],
            configs.Select(c => c.Topic.Split('/')[3]).Order(StringComparer.Ordinal));
        var uniqueIds = new HashSet<string>();
        foreach ((string topic, string payload, _) in configs) CheckSensorConfig(topic, payload, uniqueIds);
        // Byte for byte what the portable core builds (the ESP32 app publishes the same, HomeAssistantDiscoveryTests).
        string version = JsonDocument.Parse(configs[0].Payload).RootElement.GetProperty("device").GetProperty("sw_version").GetString()!;
        var core = new HomeAssistantDiscovery(MeterId, "homeassistant", "cgrid-meter (Linux)", version);
        HomeAssistantSensor[] sensors = [.. HomeAssistantDiscovery.MeterSensors, HomeAssistantDiscovery.Price("EUR"), HomeAssistantDiscovery.Balance("EUR")];
        Assert.All(sensors, sensor => Assert.Equal(core.ConfigJson(sensor), configs.Single(c => c.Topic == core.ConfigTopic(sensor)).Payload));

        // States follow the readings: energy = the registers of the last reading, power = its increase over the interval.
        var readings = meter.Events("reading.queued");
        LogLine last = readings[^1], previous = readings[^2];
        Assert.Equal(HomeAssistantDiscovery.Kwh(last.Long("import_wh")), Last(seen, $"communitygrid/{MeterId}/import_energy"));
        Assert.Equal(HomeAssistantDiscovery.Kwh(last.Long("export_wh")), Last(seen, $"communitygrid/{MeterId}/export_energy"));
        Assert.Equal(HomeAssistantDiscovery.Kwh(last.Long("pv_wh")), Last(seen, $"communitygrid/{MeterId}/pv_energy"));
        Assert.Equal(((last.Long("pv_wh") - previous.Long("pv_wh")) * 3600 / 60).ToString(System.Globalization.CultureInfo.InvariantCulture),
            Last(seen, $"communitygrid/{MeterId}/pv_power"));
        Assert.Equal(((last.Long("import_wh") - previous.Long("import_wh")) * 3600 / 60).ToString(System.Globalization.CultureInfo.InvariantCulture),
            Last(seen, $"communitygrid/{MeterId}/import_power"));
        Assert.Equal("21.50", Last(seen, $"communitygrid/{MeterId}/price"));
        Assert.Contains(seen, m => m.Topic == $"communitygrid/{MeterId}/availability" && m.Payload == "online");
        await subscriber.DisconnectAsync();

        // Everything is retained: a Home Assistant that starts after the meter stopped still finds the device, its
        // last states and that it is offline.
        var later = new ConcurrentQueue<(string Topic, string Payload, bool Retained)>();
        using IMqttClient restarted = await SubscribeAllAsync(house.Port, later);
        await Until(() => later.Count(m => m.Topic.EndsWith("/config", StringComparison.Ordinal)) == 8 && Last(later, $"communitygrid/{MeterId}/availability") is not null,
            "the retained configs");
        Assert.All(later, m => Assert.True(m.Retained, $"{m.Topic} is not retained"));
        Assert.Equal("offline", Last(later, $"communitygrid/{MeterId}/availability"));
        Assert.Equal(HomeAssistantDiscovery.Kwh(last.Long("import_wh")), Last(later, $"communitygrid/{MeterId}/import_energy"));
        await restarted.DisconnectAsync();
    }

    /// <summary>Home Assistant's MQTT sensor discovery schema, as far as a sensor with a device uses it.</summary>
    private static void CheckSensorConfig(string topic, string payload, HashSet<string> uniqueIds)
    {
        using JsonDocument doc = JsonDocument.Parse(payload);
        JsonElement c = doc.RootElement;
        string objectId = topic.Split('/')[3];
        Assert.Matches("^[a-zA-Z0-9_-]+$", topic.Split('/')[2]);
        Assert.Matches("^[a-zA-Z0-9_-]+$", objectId);
        string stateTopic = c.GetProperty("state_topic").GetString()!;
        Assert.Equal($"communitygrid/{MeterId}/{objectId}", stateTopic);
        Assert.DoesNotContain('#', stateTopic);
        Assert.DoesNotContain('+', stateTopic);
        Assert.True(uniqueIds.Add(c.GetProperty("unique_id").GetString()!), $"unique_id of {topic} is used twice");
        Assert.False(string.IsNullOrWhiteSpace(c.GetProperty("name").GetString()));
        Assert.Equal($"communitygrid/{MeterId}/availability", c.GetProperty("availability_topic").GetString());
        Assert.Equal(("online", "offline"), (c.GetProperty("payload_available").GetString(), c.GetProperty("payload_not_available").GetString()));
        JsonElement device = c.GetProperty("device");
        Assert.Equal([Node], device.GetProperty("identifiers").EnumerateArray().Select(e => e.GetString()));
        Assert.Contains(MeterId, device.GetProperty("name").GetString());
        if (c.TryGetProperty("device_class", out JsonElement deviceClass))
        {
            string unit = c.GetProperty("unit_of_measurement").GetString()!;
            Assert.Contains(unit, UnitsByDeviceClass[deviceClass.GetString()!]);
        }
        if (c.TryGetProperty("state_class", out JsonElement stateClass)) Assert.Contains(stateClass.GetString(), StateClasses);
        switch (objectId)
        {
            case "pv_power" or "import_power" or "export_power":
                Assert.Equal(("W", "power", "measurement"), (Text(c, "unit_of_measurement"), Text(c, "device_class"), Text(c, "state_class")));
                break;
            case "pv_energy" or "import_energy" or "export_energy":
                Assert.Equal(("kWh", "energy", "total_increasing"), (Text(c, "unit_of_measurement"), Text(c, "device_class"), Text(c, "state_class")));
                break;
            case "balance":
                // Home Assistant allows a monetary sensor only the state class total, or none.
                Assert.Equal(("EUR", "monetary", null), (Text(c, "unit_of_measurement"), Text(c, "device_class"), Text(c, "state_class")));
                break;
            case "price":
                Assert.Equal(("EUR/kWh", null), (Text(c, "unit_of_measurement"), Text(c, "device_class")));
                break;
        }
    }

    private static string? Text(JsonElement e, string name) => e.TryGetProperty(name, out JsonElement v) ? v.GetString() : null;

    private static string? Last(ConcurrentQueue<(string Topic, string Payload, bool Retained)> seen, string topic) =>
        seen.Where(m => m.Topic == topic).Select(m => m.Payload).LastOrDefault();

    private static async Task Until(Func<bool> condition, string what)
    {
        DateTime deadline = DateTime.UtcNow.AddSeconds(20);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) Assert.Fail($"timed out waiting for {what}");
            await Task.Delay(100);
        }
    }

    private static async Task<IMqttClient> SubscribeAllAsync(int port, ConcurrentQueue<(string, string, bool)> seen)
    {
        IMqttClient client = new MqttClientFactory().CreateMqttClient();
        client.ApplicationMessageReceivedAsync += e =>
        {
            seen.Enqueue((e.ApplicationMessage.Topic, Encoding.UTF8.GetString(e.ApplicationMessage.Payload), e.ApplicationMessage.Retain));
            return Task.CompletedTask;
        };
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await client.ConnectAsync(new MqttClientOptionsBuilder().WithTcpServer("127.0.0.1", port).WithClientId("home-assistant-probe").Build(), timeout.Token);
        await client.SubscribeAsync(new MqttClientSubscribeOptionsBuilder().WithTopicFilter("#").Build(), timeout.Token);
        return client;
    }
}
