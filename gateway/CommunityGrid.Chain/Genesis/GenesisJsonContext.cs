using System.Text.Json.Serialization;

namespace CommunityGrid.Chain.Genesis;

/// <summary>
/// The genesis file's JSON, generated at build time so a trimmed cgrid can read and write it (reflection-based
/// System.Text.Json is off in a trimmed program). Optional fields keep their defaults through the constructors
/// marked <see cref="JsonConstructorAttribute"/> on <see cref="GenesisDocument"/> and its governance rules.
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    WriteIndented = true)]
[JsonSerializable(typeof(GenesisDocument))]
internal sealed partial class GenesisJsonContext : JsonSerializerContext;
