using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using CommunityGrid.Chain.Blocks;
using CommunityGrid.Chain.Encoding;
using CommunityGrid.Chain.Genesis;
using CommunityGrid.Meter.LightClient;

namespace CommunityGrid.Simulation.Pipeline;

/// <summary>
/// The simulated meters as light clients (docs/protocol.md §7.6, §7.7): hands each proof message a meter received to
/// that meter's <see cref="MeterLightClient"/> (the meter core's), installed with the chain's genesis validator set as
/// trust anchor, and counts what the light clients made of them. Meters are independent (each has its own queue and
/// verifier), so they verify in parallel; each meter's messages stay in arrival order.
/// </summary>
public sealed class LightClientFleet
{
    private const int RefusalsKept = 5;

    private readonly ISignatureCheck signatureCheck;
    private readonly Dictionary<string, byte[]> validatorSets = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<string> refusals = new();
    private long verified, refused, skipped, released;

    /// <param name="signatureCheck">The Ed25519 check of commit signatures (the simulator passes <see cref="SodiumSignatureCheck"/>).</param>
    public LightClientFleet(ISignatureCheck signatureCheck)
    {
        this.signatureCheck = signatureCheck;
    }

    /// <summary>The validator-set encoding (chain.md §1) of <paramref name="genesis"/>: what an installer configures on a meter of that community.</summary>
    public static byte[] GenesisSet(GenesisDocument genesis)
    {
        var writer = Cbor.Writer();
        ValidatorSet.FromGenesis(genesis).Write(writer);
        return writer.Encode();
    }

    /// <summary>Applies <paramref name="deliveries"/> of <paramref name="genesis"/>'s chain to the meters they arrived at.</summary>
    public void Apply(IReadOnlyList<ProofDelivery> deliveries, GenesisDocument genesis, IReadOnlyDictionary<string, VirtualMeter> meters)
    {
        if (deliveries.Count == 0) return;
        string chain = genesis.ChainId;
        if (!validatorSets.TryGetValue(chain, out byte[]? set)) validatorSets[chain] = set = GenesisSet(genesis);
        var byMeter = deliveries.GroupBy(d => d.MeterId, StringComparer.Ordinal).ToList();
        Parallel.ForEach(byMeter, group =>
        {
            if (!meters.TryGetValue(group.Key, out VirtualMeter? meter)) return;
            meter.InstallLightClient(chain, set, signatureCheck);
            foreach (ProofDelivery delivery in group) Count(group.Key, meter.ApplyProof(chain, delivery.Payload));
        });
    }

    /// <summary>What the light clients made of every proof message so far, with the operations they spent.</summary>
    public ProofTotals Totals(IEnumerable<VirtualMeter> meters, long waitTimeouts)
    {
        long hashes = 0, signatures = 0;
        foreach (VirtualMeter meter in meters)
        {
            (long h, long s) = meter.LightClientCost();
            hashes += h;
            signatures += s;
        }
        return new ProofTotals(Interlocked.Read(ref verified), Interlocked.Read(ref refused), Interlocked.Read(ref skipped), Interlocked.Read(ref released),
            signatures, hashes, waitTimeouts, refusals.ToList());
    }

    private void Count(string meterId, ProofOutcome outcome)
    {
        if (outcome.IsValid)
        {
            Interlocked.Increment(ref verified);
            if (outcome.Released) Interlocked.Increment(ref released);
        }
        else if (outcome.Verdict == LightClientVerdict.OlderHeader)
        {
            // Not a lie: a meter that failed over to a gateway one block behind, or a retained message it already
            // passed, gets an older header; it is skipped (protocol §7.6) and releases nothing.
            Interlocked.Increment(ref skipped);
        }
        else
        {
            Interlocked.Increment(ref refused);
            if (refusals.Count < RefusalsKept) refusals.Enqueue($"{meterId} height {outcome.Height}: {outcome.Verdict}: {outcome.Reason}");
        }
    }
}

/// <summary>
/// What the meters' light clients made of the proof messages (zero on the direct path, which has none).
/// </summary>
/// <param name="Verified">Messages whose header, certificate and every path verified.</param>
/// <param name="Refused">Messages with a part that did not verify; any makes the run fail.</param>
/// <param name="Skipped">Messages with a header below the one verified last (OlderHeader): nothing new in them.</param>
/// <param name="Releasing">Verified messages that released readings from a queue.</param>
/// <param name="SignatureChecks">Ed25519 verifications of commit signatures, all meters together.</param>
/// <param name="Hashes">SHA-256 computations (header hashes, Merkle leaves and nodes), all meters together.</param>
/// <param name="WaitTimeouts">Steps that gave up waiting for the proofs of committed acks; non-zero means the run may not be reproducible.</param>
/// <param name="FirstRefusals">The first few refusals, meter, height, verdict and reason.</param>
public sealed record ProofTotals(long Verified, long Refused, long Skipped, long Releasing, long SignatureChecks, long Hashes, long WaitTimeouts, IReadOnlyList<string> FirstRefusals)
{
    public static readonly ProofTotals None = new(0, 0, 0, 0, 0, 0, 0, []);
}
