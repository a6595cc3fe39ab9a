using System;
using System.Collections.Generic;
using System.IO;
using System.Threading.Tasks;
using CommunityGrid.Chain.Encoding;
using CommunityGrid.Chain.Genesis;
using CommunityGrid.Chain.Intervals;
using CommunityGrid.Formats.Signing;
using CommunityGrid.Simulation.Community;
using CommunityGrid.Simulation.Verification;

namespace CommunityGrid.Simulation.Pipeline;

/// <summary>
/// The new community of a <c>--split</c> run: once the leavers' exits are final on the old chain (the interval before
/// the exit interval has closed there), its genesis is built from the old chain's data on disk exactly as
/// <c>cgrid community split</c> does, written to <c>OUT/breakaway/</c>, and its own gateway starts on the same virtual
/// clock. The leavers' meters have moved from the exit interval on; their readings for it wait until then.
/// </summary>
internal sealed class BreakawayRun(SplitPlan plan, SimulationOptions options, SimulatedCommunity old, Func<TransportContext, IReadingTransport> createTransport,
    SettlementCatalog catalog, VirtualClock clock) : IAsyncDisposable
{
    private const long RetrySeconds = 300;
    private long nextAttempt = plan.ExitIntervalStart + GenesisDocument.DefaultGraceSeconds + 2 * options.BlockPeriodMs / 1000;
    private Ed25519Signer? validator;

    public string Directory => Path.Combine(options.OutputDirectory, SplitPlan.NewChainId);
    public string ChainPath => Path.Combine(Directory, SimulationOptions.ChainFileName);
    public string GenesisPath => Path.Combine(Directory, SimulationOptions.GenesisFileName);
    public IReadingTransport? Transport { get; private set; }
    public SimulatedCommunity? Community { get; private set; }

    public bool Reaches(string chainId) => chainId != SplitPlan.NewChainId || Transport is not null;

    /// <summary>Starts the new community's gateway when the exits have become final; returns whether it runs.</summary>
    public bool TryStart(long nowSeconds)
    {
        if (Transport is not null) return true;
        if (nowSeconds < nextAttempt) return false;
        nextAttempt = nowSeconds + RetrySeconds;
        GenesisDocument genesis;
        using (Ed25519Signer installer = SimulatedCommunity.NewCommunityKey(options.Community.Seed, "installer"))
        using (Ed25519Signer treasurer = SimulatedCommunity.NewCommunityKey(options.Community.Seed, "treasurer"))
        using (Ed25519Signer gateway = SimulatedCommunity.NewCommunityKey(options.Community.Seed, "validator"))
        {
            try
            {
                genesis = ParentLink.BuildSplit(options.OutputDirectory, null, SplitPlan.NewChainId, $"Breakaway of {plan.Houses} houses from {old.Genesis.ChainId}",
                    [Hashes.Hex(installer.PublicKey)], [Hashes.Hex(treasurer.PublicKey)], [new GenesisValidator(Hashes.Hex(gateway.PublicKey), "127.0.0.1:7002")]);
            }
            catch (ParentDataException)
            {
                return false; // the exits are not final yet: the old gateway has not closed the interval before them
            }
        }
        System.IO.Directory.CreateDirectory(Directory);
        GenesisFile.Write(GenesisPath, genesis);
        Community = old.Breakaway(plan, genesis);
        validator = Community.Validator();
        Transport = createTransport(new TransportContext(ChainPath, Community, catalog, validator, clock, options.BlockPeriodMs));
        return true;
    }

    public async ValueTask DisposeAsync()
    {
        if (Transport is not null) await Transport.DisposeAsync();
        validator?.Dispose();
    }
}
