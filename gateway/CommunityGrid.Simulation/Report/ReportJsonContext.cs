using System.Text.Json.Serialization;

namespace CommunityGrid.Simulation.Report;

/// <summary>
/// report.json's JSON, generated at build time so a trimmed cgrid can write and read it (reflection-based
/// System.Text.Json is off in a trimmed program).
/// </summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, WriteIndented = true)]
[JsonSerializable(typeof(ReportData))]
internal sealed partial class ReportJsonContext : JsonSerializerContext;
