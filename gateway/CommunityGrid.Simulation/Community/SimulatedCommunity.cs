using System;
using System.Collections.Generic;
using System.Linq;
using CommunityGrid.Chain.Genesis;
using CommunityGrid.Chain.Transactions;
using CommunityGrid.Formats.Cose;
using CommunityGrid.Formats.Signing;
using CommunityGrid.Simulation.Pipeline;
using CommunityGrid.Simulation.Profiles;

namespace CommunityGrid.Simulation.Community;

/// <summary>
/// A whole simulated community built from a seed: houses h001… with traits and keys, the genesis document
/// (members, installer, treasurer, validator, tariffs, mechanism) and the installer's enrolment transactions.
/// </summary>
public sealed class SimulatedCommunity
{
    private const string CommunityOwner = "community";
    private readonly string owner;

    private SimulatedCommunity(CommunityOptions options, IReadOnlyList<SimulatedHouse> houses, GenesisDocument genesis, string owner = CommunityOwner)
    {
        Options = options;
        Houses = houses;
        Genesis = genesis;
        this.owner = owner;
    }

    public CommunityOptions Options { get; }
    public IReadOnlyList<SimulatedHouse> Houses { get; }
    public GenesisDocument Genesis { get; }
    public IEnumerable<SimulatedMeterSpec> Meters => Houses.SelectMany(h => h.PvMeter is null ? new[] { h.GridMeter } : [h.GridMeter, h.PvMeter]);

    /// <summary>Gateway 1's key: the only validator of a single-gateway community.</summary>
    public Ed25519Signer Validator() => DerivedKeys.Signer(Options.Seed, owner, "validator");

    /// <summary>How many gateways (validators) the genesis names: one per street.</summary>
    public int Gateways => Genesis.Validators.Count;

    /// <summary>
    /// Gateway g's (1-based) validator key seed: gateway 1 keeps the single gateway's key, so a run with one gateway
    /// is the same as before streets had their own; the others are derived from "g2", "g3", …
    /// </summary>
    public byte[] GatewayKeySeed(int gateway) => owner == CommunityOwner
        ? GatewayKeySeed(Options.Seed, gateway)
        : DerivedKeys.Seed(Options.Seed, gateway == 1 ? owner : $"{owner}/g{gateway}", "validator");

    private static byte[] GatewayKeySeed(long seed, int gateway) =>
        gateway == 1 ? DerivedKeys.Seed(seed, CommunityOwner, "validator") : DerivedKeys.Seed(seed, $"g{gateway}", "validator");

    /// <summary>The gateway (1-based) of a house's street: houses are split across the streets in contiguous groups, h001… on street 1.</summary>
    public int StreetOf(string houseId)
    {
        int index = int.Parse(houseId.AsSpan(1), System.Globalization.CultureInfo.InvariantCulture) - 1;
        return (int)((long)index * Gateways / Houses.Count) + 1;
    }

    public Ed25519Signer Installer() => DerivedKeys.Signer(Options.Seed, owner, "installer");

    public Ed25519Signer Treasurer() => DerivedKeys.Signer(Options.Seed, owner, "treasurer");

    /// <summary>The houses that leave under <paramref name="plan"/>: the last ones, so "40 of 100" is h061..h100.</summary>
    public IReadOnlyList<SimulatedHouse> Leavers(SplitPlan plan) => Houses.Skip(Houses.Count - plan.Houses).ToList();

    /// <summary>Each leaver's exit, signed with its member key (its first member transaction: nonce 1).</summary>
    public IReadOnlyList<byte[]> ExitTransactions(SplitPlan plan)
    {
        var transactions = new List<byte[]>();
        foreach (SimulatedHouse house in Leavers(plan))
        {
            using Ed25519Signer member = Ed25519Signer.FromSeed(house.MemberKeySeed);
            var payload = new ExitPayload(Options.ChainId, 1, SplitPlan.NewChainId, plan.ExitIntervalStart);
            transactions.Add(CoseSign1Codec.Sign(payload.Encode(), TxContentTypes.Of(payload.Type), member));
        }
        return transactions;
    }

    /// <summary>The officer and gateway keys of the community the leavers start (derived from the seed and its id).</summary>
    public static Ed25519Signer NewCommunityKey(long seed, string role) => DerivedKeys.Signer(seed, SplitPlan.NewChainId, role);

    /// <summary>The leavers as a community of their own under the split <paramref name="genesis"/> (their meters are in it, so no enrolments).</summary>
    public SimulatedCommunity Breakaway(SplitPlan plan, GenesisDocument genesis) =>
        new(Options with { ChainId = genesis.ChainId, Houses = plan.Houses }, Leavers(plan), genesis, SplitPlan.NewChainId);

    /// <param name="genesisTimeMs">Unix ms; the first interval to settle is the one containing this time.</param>
    /// <param name="gatewayAddresses">Each gateway's peer address (host:port), one per street; null: one gateway, which commits alone.</param>
    public static SimulatedCommunity Build(CommunityOptions options, long genesisTimeMs, IReadOnlyList<string>? gatewayAddresses = null)
    {
        options.Validate();
        long seed = options.Seed;
        int pvHouses = (int)Math.Round(options.Houses * options.PvShare, MidpointRounding.AwayFromZero);
        // Which houses have PV is a seeded shuffle, so PV is not simply "the first 80 houses".
        var order = Enumerable.Range(0, options.Houses).ToArray();
        SeededRandom.For(seed, "pv-assignment").Shuffle(order);
        var withPv = new HashSet<int>(order.Take(pvHouses));

        var houses = new List<SimulatedHouse>(options.Houses);
        for (int i = 0; i < options.Houses; i++)
        {
            string id = $"h{i + 1:D3}";
            bool hasPv = withPv.Contains(i);
            Random registers = SeededRandom.For(seed, id, "registers");
            var grid = new SimulatedMeterSpec(id + "-grid", id, MeterRole.ConnectionPoint, DerivedKeys.Seed(seed, id, "meter-grid"),
                registers.NextInt64(1_000_000, 40_000_000), hasPv ? registers.NextInt64(0, 20_000_000) : 0, 0);
            SimulatedMeterSpec? pv = hasPv
                ? new SimulatedMeterSpec(id + "-pv", id, MeterRole.Pv, DerivedKeys.Seed(seed, id, "meter-pv"), 0, 0, registers.NextInt64(0, 30_000_000))
                : null;
            houses.Add(new SimulatedHouse(id, HouseTraits.Draw(seed, id, hasPv), DerivedKeys.Seed(seed, id, "member"), grid, pv));
        }

        using Ed25519Signer validator = DerivedKeys.Signer(seed, CommunityOwner, "validator");
        using Ed25519Signer installer = DerivedKeys.Signer(seed, CommunityOwner, "installer");
        using Ed25519Signer treasurer = DerivedKeys.Signer(seed, CommunityOwner, "treasurer");
        var genesis = new GenesisDocument
        {
            ChainId = options.ChainId,
            Name = $"Simulated community ({options.Houses} houses, seed {seed})",
            Currency = options.Currency,
            MinorUnitDigits = options.MinorUnitDigits,
            IntervalSeconds = ProfileGenerator.IntervalSeconds,
            RetailPrice = options.RetailPrice,
            FeedInPrice = options.FeedInPrice,
            PricingMechanism = options.Mechanism,
            FundSharePermille = options.FundSharePermille,
            Governance = Governance.GovernanceScript.Rules,
            Members = houses.Select(h => new GenesisMember(h.HouseId, DerivedKeys.Hex(PublicKey(h.MemberKeySeed)))).ToList(),
            InstallerKeys = [DerivedKeys.Hex(installer.PublicKey)],
            TreasurerKeys = [DerivedKeys.Hex(treasurer.PublicKey)],
            Validators = gatewayAddresses is null
                ? [new GenesisValidator(DerivedKeys.Hex(validator.PublicKey), "127.0.0.1:7001")]
                : gatewayAddresses.Select((address, i) => new GenesisValidator(DerivedKeys.Hex(PublicKey(GatewayKeySeed(seed, i + 1))), address)).ToList(),
            GenesisTimeMs = genesisTimeMs,
        };
        GenesisCanonical.Require(genesis);
        return new SimulatedCommunity(options, houses, genesis);
    }

    /// <summary>The installer's enrolment of every meter, nonces 1, 2, … in house and meter order.</summary>
    public IReadOnlyList<byte[]> EnrolmentTransactions()
    {
        using Ed25519Signer installer = Installer();
        var transactions = new List<byte[]>();
        long nonce = 0;
        foreach (SimulatedMeterSpec meter in Meters)
        {
            var payload = new EnrolMeterPayload(Options.ChainId, ++nonce, meter.MeterId, PublicKey(meter.KeySeed), meter.HouseId, meter.Role,
                meter.InitialImportWh, meter.InitialExportWh, meter.InitialPvWh);
            transactions.Add(CoseSign1Codec.Sign(payload.Encode(), TxContentTypes.Of(payload.Type), installer));
        }
        return transactions;
    }

    public static byte[] PublicKey(byte[] seed)
    {
        using Ed25519Signer signer = Ed25519Signer.FromSeed(seed);
        return signer.PublicKey;
    }
}
