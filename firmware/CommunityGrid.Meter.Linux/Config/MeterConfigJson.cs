using System.Text.Json.Serialization;

namespace CommunityGrid.Meter.Linux.Config
{
    // The config file as written (docs/meter-linux.md); every field is optional here so that MeterSettings can name
    // what is missing instead of a generic JSON error. Unknown fields are refused, so a typo is not silently ignored.

    internal sealed class MeterConfigJson
    {
        public string? MeterId { get; set; }
        public string? ChainId { get; set; }
        public string? KeyFile { get; set; }
        public string[]? GatewayPublicKeys { get; set; }
        public string[]? InstallerPublicKeys { get; set; }
        public int? IntervalSeconds { get; set; }
        public string? DataDirectory { get; set; }
        public int? ResendSeconds { get; set; }
        public BrokerJson? Broker { get; set; }
        public SensorJson? Sensor { get; set; }
        public LcdJson? Lcd { get; set; }
        public HomeAssistantJson? HomeAssistant { get; set; }
        public LightClientJson? LightClient { get; set; }
    }

    internal sealed class HomeAssistantJson
    {
        public string? Url { get; set; }
        public string? CaFile { get; set; }
        public string? Username { get; set; }
        public string? Password { get; set; }
        public string? DiscoveryPrefix { get; set; }
    }

    internal sealed class BrokerJson
    {
        public string? Url { get; set; }
        public string[]? FallbackUrls { get; set; }
        public string? CaFile { get; set; }
        public int? ReconnectMaxSeconds { get; set; }
    }

    internal sealed class SensorJson
    {
        public string? Type { get; set; }
        public int? I2cBus { get; set; }
        public int? GridAddress { get; set; }
        public int? PvAddress { get; set; }
        public long? ShuntMicroohms { get; set; }
        public long? CurrentLsbMicroamps { get; set; }
        public string? SerialPort { get; set; }
        public int? BaudRate { get; set; }
        public int? GridSlaveId { get; set; }
        public int? PvSlaveId { get; set; }
    }

    internal sealed class LcdJson
    {
        public bool? Enabled { get; set; }
        public int? I2cBus { get; set; }
        public int? Address { get; set; }
        public string? Size { get; set; }
        public string? TimeZone { get; set; }
        public string? Currency { get; set; }
        public int? CurrencyDecimals { get; set; }
    }

    [JsonSourceGenerationOptions(
        PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        ReadCommentHandling = System.Text.Json.JsonCommentHandling.Skip,
        AllowTrailingCommas = true)]
    [JsonSerializable(typeof(MeterConfigJson))]
    internal sealed partial class MeterConfigJsonContext : JsonSerializerContext
    {
    }
}
