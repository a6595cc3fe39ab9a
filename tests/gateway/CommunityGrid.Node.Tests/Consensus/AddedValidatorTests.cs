using System;
using System.Linq;
using System.Threading.Tasks;
using CommunityGrid.Chain.Encoding;
using CommunityGrid.Chain.Governance;
using CommunityGrid.Chain.Transactions;
using CommunityGrid.Node.Hosting;
using CommunityGrid.Node.Tests.Support;
using CommunityGrid.Storage;
using Xunit.Abstractions;

namespace CommunityGrid.Node.Tests.Consensus;

/// <summary>
/// governance.md §6: a gateway the community adds by vote starts from the genesis file and an empty data directory,
/// is refused by the validators until the change is in force, then fetches the chain, follows the change as it
/// replays it, and votes: its signature appears in the certificates of later blocks, and all hold one chain. A
/// community that started with one gateway grows the same way: the lone gateway hands over to consensus.
/// </summary>
public sealed class AddedValidatorTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task A_gateway_added_by_vote_catches_up_from_empty_and_votes()
    {
        using var grid = new ClusterGrid(gateways: 4, meterCount: 4, addedGateways: 1, votingPeriodSeconds: 10);
        var log = new CollectedLog();
        await RunAsync(grid, log, g => grid.NodeOptions(g));
        Assert.Contains(log.Lines, l => l.Contains(" g4 ", StringComparison.Ordinal) && l.Contains("is a validator from height", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_community_of_one_gateway_grows_to_two_by_vote()
    {
        using var grid = new ClusterGrid(gateways: 1, meterCount: 2, addedGateways: 1, votingPeriodSeconds: 10);
        var log = new CollectedLog();
        // The lone gateway makes its own blocks every 100 ms until the vote is in force.
        await RunAsync(grid, log, g => grid.NodeOptions(g) with { BlockPeriod = TimeSpan.FromMilliseconds(100) });
        Assert.Contains(log.Lines, l => l.Contains(" g0 ", StringComparison.Ordinal) && l.Contains("decides blocks with them by consensus", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_key_outside_the_set_is_still_refused_without_join()
    {
        using var grid = new ClusterGrid(gateways: 4, meterCount: 1, addedGateways: 1);
        NodeOptions joining = JoiningOptions(grid);
        NodeStartupException refused = await Assert.ThrowsAsync<NodeStartupException>(() =>
            GatewayNode.StartAsync(joining with { Consensus = joining.Consensus! with { JoinAsAddedValidator = false } }));
        Assert.Contains("is not one of the chain's 4 validators", refused.Message);
        Assert.Contains("--join", refused.Message);

        NodeStartupException noAddress = await Assert.ThrowsAsync<NodeStartupException>(() =>
            GatewayNode.StartAsync(joining with { Consensus = joining.Consensus! with { ListenEndPoint = null } }));
        Assert.Contains("needs the address to listen on for its peers (--p2p)", noAddress.Message);
    }

    private async Task RunAsync(ClusterGrid grid, CollectedLog log, Func<int, NodeOptions> genesisOptions)
    {
        int added = grid.GenesisGateways;
        var nodes = new GatewayNode?[added + 1];
        long treasurerNonce = 100;
        try
        {
            for (int g = 0; g < added; g++) nodes[g] = await GatewayNode.StartAsync(genesisOptions(g) with { LoggerFactory = log.Factory($"g{g}") });

            // The new street's host starts its gateway before the vote: nobody lists it yet, so it stays at genesis.
            nodes[added] = await GatewayNode.StartAsync(JoiningOptions(grid) with { LoggerFactory = log.Factory($"g{added}") });
            Assert.Equal(0, nodes[added]!.Height);

            byte[] key = grid.Gateways[added].PublicKey;
            string address = $"127.0.0.1:{grid.PeerPorts[added]}";
            string[] houses = grid.MemberKeys.Keys.ToArray();
            byte[] proposal = grid.SignedByMember(houses[0], new ProposalPayload(ClusterGrid.ChainId, 1, "Gateway for the new street", "It hosts a gateway.", new AddValidatorEffect(key, address)));
            byte[] proposalId = Hashes.Sha256(proposal);
            Assert.True(nodes[0]!.Submit(proposal).Accepted);
            await Waits.UntilAsync(() => nodes[0]!.Read(s => s.State.View().Proposal(proposalId)) is not null, Patience, "the proposal committed");
            for (int h = 0; h < houses.Length; h++)
            {
                byte[] vote = grid.SignedByMember(houses[h], new VotePayload(ClusterGrid.ChainId, 2, proposalId, VoteChoice.Yes));
                Assert.True(nodes[0]!.Submit(vote).Accepted); // the others may not have stored the proposal's block yet
            }

            // Blocks come only with transactions: deposits carry the chain past the close, the tally (H), the change
            // (H+1) and the blocks the new set commits.
            await WithDepositsUntilAsync(nodes, grid, () => nodes[0]!.Read(s => s.State.Validators.Validators.Count) == added + 1,
                () => treasurerNonce++, "the change in force on gateway 0");
            Assert.Equal(ProposalStatus.Passed, nodes[0]!.Read(s => s.State.View().Proposal(proposalId))!.Status);

            await WithDepositsUntilAsync(nodes, grid, () => SignedByAdded(nodes[added]!, key) && OnOneTip(nodes),
                () => treasurerNonce++, "the added gateway caught up and its precommit in a certificate");
        }
        finally
        {
            foreach (GatewayNode? node in nodes) if (node is not null) await node.DisposeAsync();
            foreach (string line in log.Lines) output.WriteLine(line);
        }
        for (int g = 0; g <= added; g++)
        {
            // Each store replays from genesis (Full verification): the added gateway's copy is the chain itself.
            using ChainStore store = grid.OpenChain(g);
            Assert.Equal(added + 1, store.State.Validators.Validators.Count);
        }
    }

    private static NodeOptions JoiningOptions(ClusterGrid grid)
    {
        int added = grid.GenesisGateways;
        NodeOptions options = grid.NodeOptions(added);
        return options with
        {
            InitChain = true,
            Consensus = options.Consensus! with
            {
                JoinAsAddedValidator = true,
                ListenEndPoint = new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, grid.PeerPorts[added]),
            },
        };
    }

    /// <summary>One deposit a second (bounded by <see cref="Patience"/>) until <paramref name="done"/> holds.</summary>
    private static async Task WithDepositsUntilAsync(GatewayNode?[] nodes, ClusterGrid grid, Func<bool> done, Func<long> nonce, string what)
    {
        DateTime until = DateTime.UtcNow + Patience;
        while (!done())
        {
            Assert.True(DateTime.UtcNow < until, $"timed out waiting for {what}; heights {string.Join(", ", nodes.Select(n => n?.Height))}");
            nodes[0]!.Submit(grid.Deposit(nonce(), 1));
            await Task.Delay(1000);
        }
    }

    private static bool SignedByAdded(GatewayNode node, byte[] key) => node.Read(s =>
        s.State.TipCommit is { } commit && commit.Signatures.Any(sig => sig.Validator.AsSpan().SequenceEqual(key)));

    private static bool OnOneTip(GatewayNode?[] nodes) =>
        nodes.Select(n => n!.Height).Distinct().Count() == 1 && nodes.Select(n => n!.Read(s => Hashes.Hex(s.State.TipHash))).Distinct().Count() == 1;
}
