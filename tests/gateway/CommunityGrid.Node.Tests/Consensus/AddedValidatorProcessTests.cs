using System;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Text.Json;
using System.Threading.Tasks;
using CommunityGrid.Chain.Encoding;
using CommunityGrid.Chain.Governance;
using CommunityGrid.Chain.Transactions;
using CommunityGrid.Node.Tests.Support;
using CommunityGrid.Storage;
using Xunit.Abstractions;

namespace CommunityGrid.Node.Tests.Consensus;

/// <summary>
/// operations.md, "Adding a gateway", as a host does it: four `cgrid gateway run` processes, the members vote a fifth
/// gateway in over HTTP, and its host starts `cgrid gateway run --join` on an empty data directory. It catches up,
/// votes (its precommits are in the certificates of later blocks) and holds the same chain, which replays from genesis.
/// </summary>
public sealed class AddedValidatorProcessTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(120);

    [Fact]
    public async Task A_gateway_started_with_join_after_the_vote_catches_up_and_votes()
    {
        using var grid = new ClusterGrid(gateways: 4, meterCount: 4, addedGateways: 1, votingPeriodSeconds: 10);
        const int added = 4;
        byte[] key = grid.Gateways[added].PublicKey;
        long treasurerNonce = 100;
        await using (var cluster = new ClusterProcesses(grid, output))
        {
            for (int g = 0; g < added; g++) await cluster.StartAsync(g);

            string[] houses = grid.MemberKeys.Keys.ToArray();
            byte[] proposal = grid.SignedByMember(houses[0], new ProposalPayload(ClusterGrid.ChainId, 1, "Gateway for street 5", "Street 5 hosts a gateway.",
                new AddValidatorEffect(key, $"127.0.0.1:{grid.PeerPorts[added]}")));
            await cluster.PostAsync(0, proposal);
            await UntilAsync(async () => await ProposalKnownAsync(cluster, 0, Hashes.Sha256(proposal)), "the proposal committed");
            for (int h = 0; h < houses.Length; h++)
            {
                await cluster.PostAsync(0, grid.SignedByMember(houses[h], new VotePayload(ClusterGrid.ChainId, 2, Hashes.Sha256(proposal), VoteChoice.Yes)));
            }
            // Blocks come only with transactions: a deposit a second carries the chain past the close, the tally and the change.
            await UntilAsync(async () =>
            {
                await cluster.PostAsync(0, grid.Deposit(treasurerNonce++, 1));
                return (await ValidatorsAsync(cluster, 0)) == added + 1;
            }, "the fifth validator in force on gateway 0");

            await cluster.StartAsync(added, "--join");
            await UntilAsync(async () =>
            {
                await cluster.PostAsync(0, grid.Deposit(treasurerNonce++, 1));
                JsonElement mine = await cluster.StatusAsync(added), theirs = await cluster.StatusAsync(0);
                return mine.GetProperty("tipHash").GetString() == theirs.GetProperty("tipHash").GetString() && LastCertificateSignedBy(grid, added, key);
            }, "the joined gateway on the others' tip, its precommit in the last certificate");
            Assert.Contains(cluster[added]!.Lines, l => l.Contains("this gateway is a validator from height", StringComparison.Ordinal));
        }
        for (int g = 0; g <= added; g++)
        {
            // Full replay from genesis: every certificate verified against the set of its height, across the change.
            using ChainStore store = ChainStore.OpenReadOnly(grid.DatabasePath(g), grid.Genesis, VerifyMode.Full);
            Assert.Equal(added + 1, store.State.Validators.Validators.Count);
        }
    }

    private static bool LastCertificateSignedBy(ClusterGrid grid, int gateway, byte[] key)
    {
        try
        {
            using ChainStore store = ChainStore.OpenReadOnly(grid.DatabasePath(gateway), grid.Genesis, VerifyMode.Full);
            return store.State.TipCommit is { } commit && commit.Signatures.Any(s => s.Validator.AsSpan().SequenceEqual(key));
        }
        catch (ChainStoreException)
        {
            return false; // a block being written meanwhile; asked again next round
        }
    }

    private static async Task<bool> ProposalKnownAsync(ClusterProcesses cluster, int gateway, byte[] id)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        using HttpResponseMessage response = await http.GetAsync($"{cluster.HttpBase(gateway)}/proposals/{Hashes.Hex(id)}");
        return response.StatusCode == HttpStatusCode.OK;
    }

    private static async Task<int> ValidatorsAsync(ClusterProcesses cluster, int gateway)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        using JsonDocument body = JsonDocument.Parse(await http.GetStringAsync($"{cluster.HttpBase(gateway)}/validators"));
        return body.RootElement.GetProperty("validators").GetArrayLength();
    }

    /// <summary>Asks once a second, at most <see cref="Patience"/> long.</summary>
    private static async Task UntilAsync(Func<Task<bool>> done, string what)
    {
        DateTime until = DateTime.UtcNow + Patience;
        while (!await done())
        {
            Assert.True(DateTime.UtcNow < until, $"timed out waiting for {what}");
            await Task.Delay(1000);
        }
    }
}
