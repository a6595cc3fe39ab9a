using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace CommunityGrid.Api.Json;

/// <summary>
/// Source-generated JSON for every body the API reads or writes. The API serialises with these type infos
/// itself, so it behaves the same whatever JSON options the hosting node configures.
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    WriteIndented = true)]
[JsonSerializable(typeof(ApiProblem))]
[JsonSerializable(typeof(StatusResponse))]
[JsonSerializable(typeof(BlockResponse))]
[JsonSerializable(typeof(TransactionResponse))]
[JsonSerializable(typeof(ReadingsResponse))]
[JsonSerializable(typeof(BalanceResponse))]
[JsonSerializable(typeof(SettlementResponse))]
[JsonSerializable(typeof(SignerResponse))]
[JsonSerializable(typeof(SubmitRequest))]
[JsonSerializable(typeof(SubmitResponse))]
[JsonSerializable(typeof(ProposalsResponse))]
[JsonSerializable(typeof(ProposalResponse))]
[JsonSerializable(typeof(StatementsResponse))]
[JsonSerializable(typeof(FundResponse))]
[JsonSerializable(typeof(ExitResponse))]
[JsonSerializable(typeof(HousesResponse))]
[JsonSerializable(typeof(MetersResponse))]
[JsonSerializable(typeof(StatementResponse))]
[JsonSerializable(typeof(CommunityTotalsResponse))]
[JsonSerializable(typeof(ValidatorsResponse))]
[JsonSerializable(typeof(ValidatorChangesResponse))]
public sealed partial class ApiJsonContext : JsonSerializerContext
{
    /// <summary>
    /// What the API writes with: the options above, but quotes and apostrophes left as they are, so that a detail
    /// like "got 'abc'" reads as such in curl. These bodies are never embedded in HTML, where escaping would matter.
    /// </summary>
    public static ApiJsonContext Web { get; } = new(new JsonSerializerOptions
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    });
}
