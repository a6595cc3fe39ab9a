using System.Collections.Generic;
using System.Text.Json.Serialization;
using CommunityGrid.Chain.Governance;

namespace CommunityGrid.Chain.Genesis;

/// <summary>
/// The genesis file (JSON, written by <c>cgrid community init</c>): everything height 0 of a community's chain
/// starts from. Keys are lowercase hex of 32-byte Ed25519 public keys. Order inside the lists does not matter:
/// the canonical form (<see cref="GenesisCanonical"/>) sorts them.
/// </summary>
public sealed record GenesisDocument
{
    public const int DefaultIntervalSeconds = 900;
    public const int DefaultGraceSeconds = 60;
    public const int DefaultFutureToleranceSeconds = 60;
    public const int DefaultRetentionSeconds = 86400;
    public const int DefaultFundSharePermille = 1000;
    public const string GridOnlyMechanism = "grid-only";
    /// <summary>A house's three-phase 63 A connection: 3 × 230 V × 63 A = 43,470 W (about 10.9 kWh per 15 minutes).</summary>
    public const long DefaultMaxConnectionPowerW = 43_470;

    public GenesisDocument()
    {
    }

    /// <summary>
    /// What the genesis file's reader (<see cref="GenesisJsonContext"/>) constructs with: the optional fields with a
    /// default other than zero are parameters here, because System.Text.Json's source generator sets every init-only
    /// property in its object initializer, an omitted one to zero or null (dotnet/runtime#84484), while a constructor
    /// parameter that is omitted gets its declared default.
    /// </summary>
    [JsonConstructor]
    public GenesisDocument(
        int intervalSeconds = DefaultIntervalSeconds, int graceSeconds = DefaultGraceSeconds,
        int futureToleranceSeconds = DefaultFutureToleranceSeconds, int retentionSeconds = DefaultRetentionSeconds,
        string pricingMechanism = GridOnlyMechanism, int fundSharePermille = DefaultFundSharePermille,
        long maxConnectionPowerW = DefaultMaxConnectionPowerW, GovernanceRules? governance = null)
    {
        IntervalSeconds = intervalSeconds;
        GraceSeconds = graceSeconds;
        FutureToleranceSeconds = futureToleranceSeconds;
        RetentionSeconds = retentionSeconds;
        PricingMechanism = pricingMechanism;
        FundSharePermille = fundSharePermille;
        MaxConnectionPowerW = maxConnectionPowerW;
        Governance = governance ?? GovernanceRules.Default;
    }

    /// <summary>Community id, which is also the chain id: [a-z0-9-]{1,64}.</summary>
    public required string ChainId { get; init; }
    public required string Name { get; init; }
    /// <summary>ISO 4217 style code, three capital letters.</summary>
    public required string Currency { get; init; }
    public required int MinorUnitDigits { get; init; }
    public int IntervalSeconds { get; init; } = DefaultIntervalSeconds;
    /// <summary>How long after an interval's end its readings are waited for before it closes.</summary>
    public int GraceSeconds { get; init; } = DefaultGraceSeconds;
    /// <summary>How far (relative to block time) a reading's interval end may lie in the future: meter clock skew.</summary>
    public int FutureToleranceSeconds { get; init; } = DefaultFutureToleranceSeconds;
    /// <summary>Readings whose interval ended longer ago than this (relative to block time) are stale.</summary>
    public int RetentionSeconds { get; init; } = DefaultRetentionSeconds;
    /// <summary>Grid retail (import) price, minor units per kWh.</summary>
    public required long RetailPrice { get; init; }
    /// <summary>Grid feed-in (export) price, minor units per kWh.</summary>
    public required long FeedInPrice { get; init; }
    public string PricingMechanism { get; init; } = GridOnlyMechanism;
    /// <summary>Share of the community's export proceeds that goes to the fund, in permille.</summary>
    public int FundSharePermille { get; init; } = DefaultFundSharePermille;
    /// <summary>
    /// The rated power of the largest house connection, W: no meter's register may advance faster than this
    /// (readings that do are refused as ImplausibleEnergy), which keeps every interval's energy settleable.
    /// </summary>
    public long MaxConnectionPowerW { get; init; } = DefaultMaxConnectionPowerW;
    /// <summary>Voting rules (docs/governance.md); every field has a default.</summary>
    public GovernanceRules Governance { get; init; } = GovernanceRules.Default;
    /// <summary>Permille of its per-house part of the fund a leaving house takes (docs/breakaway.md); default none.</summary>
    public int ExitFundSharePermille { get; init; }
    public required IReadOnlyList<GenesisMember> Members { get; init; }
    public required IReadOnlyList<string> InstallerKeys { get; init; }
    public required IReadOnlyList<string> TreasurerKeys { get; init; }
    public required IReadOnlyList<GenesisValidator> Validators { get; init; }
    /// <summary>Unix milliseconds; block 1's time must be later.</summary>
    public required long GenesisTimeMs { get; init; }
    /// <summary>A split genesis only (docs/breakaway.md §4): the exit on the old chain this community starts from.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public GenesisParent? Parent { get; init; }
    /// <summary>Meters enrolled at genesis, with the registers they start from (a split genesis: as the old chain last accepted them).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<GenesisMeter>? Meters { get; init; }
}

/// <summary>
/// The link of a split genesis to its parent chain: the block that made the exits final (its height and header hash)
/// and the SHA-256 of the leaving houses' final exit records (docs/breakaway.md §4).
/// </summary>
public sealed record GenesisParent(string ChainId, long Height, string HeaderHash, string ExitsHash, long ExitIntervalStart);

/// <summary>A meter enrolled at genesis; registers are Wh. Role 1 connection point, 2 PV.</summary>
public sealed record GenesisMeter(string MeterId, string HouseId, string PublicKey, int Role, long ImportWh, long ExportWh, long PvWh);

public sealed record GenesisMember(string HouseId, string PublicKey);

/// <param name="Address">Where the validator listens for peers (host:port); informative until networking lands.</param>
public sealed record GenesisValidator(string PublicKey, string Address);
