using System;
using System.Collections.Generic;
using System.Linq;
using CommunityGrid.Chain.Blocks;
using CommunityGrid.Chain.Encoding;
using CommunityGrid.Chain.Genesis;
using CommunityGrid.Chain.Intervals;
using CommunityGrid.Chain.State;
using CommunityGrid.Chain.Transactions;
using CommunityGrid.Chain.Validation;
using CommunityGrid.Clearing.Model;
using CommunityGrid.Formats.Cose;
using CommunityGrid.Formats.Readings;
using CommunityGrid.Formats.Signing;

namespace CommunityGrid.Chain.Tests.Intervals;

/// <summary>
/// Issue 11 case 1, the property: whatever validation accepts, interval close settles without an exception, for
/// every mechanism. Seeded random communities (parameters at their extremes included) receive readings whose deltas
/// are often exactly at the plausibility bound, sometimes beyond it, with registers near 2^63−1, missed intervals,
/// several connection-point meters per house and gaps in block production; every block is produced, applied and
/// replayed. Failures name the seed.
/// </summary>
public sealed class SettlementTotalityTests
{
    private const int RunsPerMechanism = 24;

    public static TheoryData<string> Mechanisms() => new(["grid-only", .. MechanismNames.All]);

    [Theory]
    [MemberData(nameof(Mechanisms))]
    public void Interval_close_is_total_over_accepted_readings(string mechanism)
    {
        var totals = new RunTotals();
        for (int seed = 0; seed < RunsPerMechanism; seed++)
        {
            try
            {
                new RandomCommunity(mechanism, seed).Run(totals);
            }
            catch (Exception e) when (e is not Xunit.Sdk.XunitException)
            {
                Assert.Fail($"{mechanism}, seed {seed}: {e}");
            }
        }
        // The property is only worth something if the runs reached the corners it is about.
        Assert.True(totals.Applied > 500, $"only {totals.Applied} readings applied");
        Assert.True(totals.AtBound > 50, $"only {totals.AtBound} readings exactly at the bound applied");
        Assert.True(totals.Implausible > 20, $"only {totals.Implausible} readings refused as implausible");
        Assert.True(totals.NearMaxRegister > 5, $"only {totals.NearMaxRegister} readings near 2^63-1 applied");
        Assert.True(totals.SettledHouses > 300, $"only {totals.SettledHouses} house settlements");
    }

    /// <summary>The settlement's own edge: the most houses at the most energy and the highest prices.</summary>
    [Theory]
    [MemberData(nameof(Mechanisms))]
    public void Settlement_takes_the_largest_input_validation_lets_through(string mechanism)
    {
        var houses = new List<HouseEnergy>(ClearingLimits.MaxHouses);
        for (int i = 0; i < ClearingLimits.MaxHouses; i++)
        {
            bool seller = i % 3 == 0;
            houses.Add(new HouseEnergy($"h{i:D6}", seller ? 0 : ClearingLimits.MaxEnergyWh, seller ? ClearingLimits.MaxEnergyWh : 0));
        }
        foreach ((long retail, long feedIn, int fund) in new[] { (ClearingLimits.MaxPrice, ClearingLimits.MaxPrice, 0), (ClearingLimits.MaxPrice, 0, 1000), (ClearingLimits.MaxPrice, 1, 500) })
        {
            var parameters = new ChainParameters("EUR", 2, 900, 60, 60, 86400, retail, feedIn, mechanism, fund, GenesisRules.MaxConnectionPowerW);
            SettlementResult result = SettlementCatalog.Default.Find(mechanism)!.Settle(new SettlementInput(0, 900, parameters, houses));
            Assert.Equal(houses.Count, result.Houses.Count);
            Assert.All(result.Houses, h => Assert.InRange(Math.Abs(h.Net), 0, 10_000_000_000_000L));
        }
    }

    private sealed class RunTotals
    {
        public int Applied, AtBound, Implausible, NearMaxRegister, SettledHouses;
    }

    private sealed class RandomCommunity
    {
        private readonly Random rng;
        private readonly string mechanism;
        private readonly int intervalSeconds;
        private readonly long power;
        /// <summary>A run in which every register of every reading advances by exactly the bound.</summary>
        private readonly bool allAtBound;
        private readonly List<Ed25519Signer> keys = [];
        private readonly List<(string Id, Ed25519Signer Key, bool Pv)> meters = [];
        private readonly Dictionary<string, long> sequences = new(StringComparer.Ordinal);
        private long installerNonce;
        private long genesisSeconds;

        public RandomCommunity(string mechanism, int seed)
        {
            this.mechanism = mechanism;
            rng = new Random(seed * 7919 + mechanism.Length);
            intervalSeconds = Pick(900, 900, 3600, 86400);
            power = Pick(1, GenesisDocument.DefaultMaxConnectionPowerW, GenesisDocument.DefaultMaxConnectionPowerW, GenesisRules.MaxConnectionPowerW);
            allAtBound = rng.Next(4) == 0;
        }

        private T Pick<T>(params T[] choices) => choices[rng.Next(choices.Length)];

        private Ed25519Signer NewKey()
        {
            var seed = new byte[32];
            rng.NextBytes(seed);
            Ed25519Signer key = Ed25519Signer.FromSeed(seed);
            keys.Add(key);
            return key;
        }

        public void Run(RunTotals totals)
        {
            try
            {
                Execute(totals);
            }
            finally
            {
                foreach (Ed25519Signer key in keys) key.Dispose();
            }
        }

        private void Execute(RunTotals totals)
        {
            int houseCount = Pick(1, 2, 5, 12, 40);
            Ed25519Signer installer = NewKey(), treasurer = NewKey(), validator = NewKey();
            long retail = Pick(0L, 1L, 300L, ClearingLimits.MaxPrice);
            genesisSeconds = 1_800_000_000L - 1_800_000_000L % 86400;
            var genesis = new GenesisDocument
            {
                ChainId = "prop-grid",
                Name = "Property",
                Currency = "EUR",
                MinorUnitDigits = 2,
                IntervalSeconds = intervalSeconds,
                GraceSeconds = Pick(0, 60),
                RetentionSeconds = Math.Max(intervalSeconds, 86400),
                RetailPrice = retail,
                FeedInPrice = Pick(0L, retail / 3, retail),
                FundSharePermille = Pick(0, 250, 1000),
                PricingMechanism = mechanism,
                MaxConnectionPowerW = power,
                Members = Enumerable.Range(0, houseCount).Select(i => new GenesisMember($"h{i:D3}", Hashes.Hex(NewKey().PublicKey))).ToList(),
                InstallerKeys = [Hashes.Hex(installer.PublicKey)],
                TreasurerKeys = [Hashes.Hex(treasurer.PublicKey)],
                Validators = [new GenesisValidator(Hashes.Hex(validator.PublicKey), "127.0.0.1:7001")],
                GenesisTimeMs = genesisSeconds * 1000,
            };
            ChainState state = ChainState.FromGenesis(genesis);
            ChainState replay = ChainState.FromGenesis(genesis);
            var enrolments = new List<byte[]>();
            for (int h = 0; h < houseCount; h++)
            {
                int connectionMeters = Pick(1, 1, 2);
                for (int m = 0; m < connectionMeters; m++) enrolments.Add(Enrol(installer, $"h{h:D3}", MeterRole.ConnectionPoint));
                if (rng.Next(3) == 0) enrolments.Add(Enrol(installer, $"h{h:D3}", MeterRole.Pv));
            }
            Commit(state, replay, BlockProducer.Produce(state, enrolments, genesisSeconds * 1000 + 1, validator), totals, []);

            int intervals = Pick(4, 8, 12);
            for (int k = 0; k < intervals; k++)
            {
                var candidates = new List<byte[]>();
                var atBound = new HashSet<int>();
                foreach ((string id, Ed25519Signer key, bool _) in meters)
                {
                    if (!allAtBound && rng.Next(4) == 0) continue; // a missed interval: the next reading carries the delta
                    MeterRecord meter = state.View().Meter(id)!;
                    long start = genesisSeconds + (long)k * intervalSeconds;
                    long covered = Math.Max(1, (start - meter.LastIntervalStart) / intervalSeconds + (meter.LastSequence == 0 ? 1 : 0));
                    long allowed = state.View().Parameters.MaxEnergyWh(covered);
                    (long import, bool importAtBound) = Advance(meter.ImportWh, allowed);
                    (long export, bool _) = Advance(meter.ExportWh, allowed);
                    (long pv, bool _) = Advance(meter.PvWh, allowed);
                    if (importAtBound) atBound.Add(candidates.Count);
                    long sequence = sequences[id] = sequences[id] + 1;
                    var reading = new MeterReading("prop-grid", id, sequence, start, intervalSeconds, import, export, pv, "1.0.0");
                    candidates.Add(SignedReadingCodec.Create(reading, key));
                }
                // Sometimes production pauses, so one block closes several intervals and readings land in later ones.
                long endMs = (genesisSeconds + (long)(k + 1) * intervalSeconds) * 1000;
                if (candidates.Count > 0) Commit(state, replay, BlockProducer.Produce(state, candidates, endMs + 1, validator), totals, atBound);
                if (rng.Next(3) != 0)
                {
                    long closeMs = endMs + state.View().Parameters.GraceSeconds * 1000L + 2;
                    Commit(state, replay, BlockProducer.Produce(state, [], closeMs, validator), totals, []);
                }
            }
            long finalMs = (genesisSeconds + (long)(intervals + 2) * intervalSeconds) * 1000 + 61_000;
            Commit(state, replay, BlockProducer.Produce(state, [], finalMs, validator), totals, []);
            Assert.Empty(state.View().WithPrefix("pending/"));
            Assert.Equal(Hashes.Hex(state.StateRoot), Hashes.Hex(replay.StateRoot));
        }

        private byte[] Enrol(Ed25519Signer installer, string house, MeterRole role)
        {
            string id = $"m{meters.Count:D4}";
            Ed25519Signer key = NewKey();
            meters.Add((id, key, role == MeterRole.Pv));
            sequences[id] = 0;
            long Initial() => Pick(0L, rng.NextInt64(0, 1L << 40), long.MaxValue - rng.NextInt64(0, 4 * power), long.MaxValue);
            var payload = new EnrolMeterPayload("prop-grid", ++installerNonce, id, key.PublicKey, house, role, Initial(), Initial(), Initial());
            return CoseSign1Codec.Sign(payload.Encode(), TxContentTypes.Of(payload.Type), installer);
        }

        /// <summary>A new register value: unchanged, random, exactly at the bound, or beyond it; never past 2^63−1.</summary>
        private (long Value, bool AtBound) Advance(long register, long allowed)
        {
            long headroom = long.MaxValue - register;
            long delta = allAtBound ? allowed : rng.Next(6) switch
            {
                0 => 0,
                1 => rng.NextInt64(0, allowed + 1),
                2 or 3 => allowed,
                4 => allowed + 1 + rng.NextInt64(0, 1_000_000),
                _ => Pick(10_000_000_001L, long.MaxValue / 2, headroom),
            };
            delta = Math.Min(delta, headroom);
            return (register + delta, delta == allowed);
        }

        private static void AssertSamePreparation(PreparedBlock verified, PreparedBlock produced)
        {
            Assert.Equal(Hashes.Hex(verified.Block.Header.Hash()), Hashes.Hex(produced.Block.Header.Hash()));
            Assert.Equal(Hashes.Hex(verified.StateRoot), Hashes.Hex(produced.StateRoot));
            Assert.Equal(verified.BaseVersion, produced.BaseVersion);
            Assert.Equal(verified.Transactions.Select(t => t.IdHex), produced.Transactions.Select(t => t.IdHex));
            Assert.Equal(verified.Settlements.Select(r => Hashes.Hex(r.Encode())), produced.Settlements.Select(r => Hashes.Hex(r.Encode())));
            Assert.Equal(verified.Changes.Select(c => (c.Key, c.Value is null ? null : Hashes.Hex(c.Value))), produced.Changes.Select(c => (c.Key, c.Value is null ? null : Hashes.Hex(c.Value))));
            Assert.Equal(verified.Slots, produced.Slots);
        }

        private void Commit(ChainState state, ChainState replay, Produced produced, RunTotals totals, HashSet<int> atBound)
        {
            foreach (MempoolOutcome o in produced.Outcomes)
            {
                if (o.Outcome.Reason == RejectionReason.ImplausibleEnergy) totals.Implausible++;
            }
            if (produced.Block is null) return;
            PreparedBlock applied = state.Prepare(produced.Block);
            // The node stores produced.Prepared without executing the block again: it must be what verification computes.
            AssertSamePreparation(applied, produced.Prepared!);
            state.Commit(applied);
            replay.ApplyBlock(produced.Block);
            foreach (MempoolOutcome o in produced.Outcomes)
            {
                if (o.Outcome.Status == TxStatus.Applied && atBound.Contains(o.Index)) totals.AtBound++;
            }
            foreach (Transaction tx in applied.Transactions)
            {
                if (tx.Reading is not { } r) continue;
                totals.Applied++;
                if (r.ImportWh > long.MaxValue - 4 * power || r.ExportWh > long.MaxValue - 4 * power) totals.NearMaxRegister++;
            }
            foreach (SettlementResult s in applied.Settlements) totals.SettledHouses += s.Houses.Count;
        }
    }
}
