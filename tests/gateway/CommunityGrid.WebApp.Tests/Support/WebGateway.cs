using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net.Http;
using CommunityGrid.Api;
using CommunityGrid.Api.Tests.Support;
using CommunityGrid.Chain.Blocks;
using CommunityGrid.Chain.Governance;
using CommunityGrid.Chain.Tests.Support;
using CommunityGrid.Chain.Transactions;
using CommunityGrid.Formats.Keys;
using CommunityGrid.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;
using static CommunityGrid.Chain.Tests.Support.GovernanceSigning;

namespace CommunityGrid.WebApp.Tests.Support;

/// <summary>
/// A gateway for the browser: a chain in a real SQLite file (three houses trading under SDR for a day's worth of
/// intervals, a deposit, a passed and paid spending proposal, an open resolution, statements), the real HTTP API and
/// the web app on Kestrel at a free loopback port. Submitted transactions that apply are sealed at once by the real
/// block producer. h1's member key is written as the key file `cgrid keys new` writes.
/// </summary>
public sealed class WebGateway : IDisposable
{
    public const int Intervals = 12;
    private readonly WebApplication app;

    public WebGateway()
    {
        Directory = System.IO.Directory.CreateTempSubdirectory("cgrid-webapp-").FullName;
        Community = new TestCommunity(mechanism: "sdr", governance: new GovernanceRules { VotingPeriodSeconds = 600 }).WithMeters();
        TestCommunity c = Community;
        c.Produce(TestCommunity.At(2), c.PaymentTx("h1", PaymentKind.Deposit, 5_000, "SEPA 2027-01"));
        var registers = new Dictionary<string, (long Import, long Export)> { ["m1"] = (0, 0), ["m2"] = (0, 0), ["m3"] = (0, 0) };
        for (int i = 0; i < Intervals; i++)
        {
            // h1 and h3 draw from the grid connection, h2 exports its PV: the community trades inside.
            registers["m1"] = (registers["m1"].Import + 300 + 10 * i, registers["m1"].Export);
            registers["m2"] = (registers["m2"].Import, registers["m2"].Export + 500);
            registers["m3"] = (registers["m3"].Import + 120, registers["m3"].Export + 40);
            c.Produce(TestCommunity.EndOf(i), registers.Select((r, n) => c.ReadingTx(r.Key, i + 1, i, r.Value.Import, r.Value.Export)).ToArray());
            c.Produce(TestCommunity.CloseOf(i));
        }
        long t = TestCommunity.CloseOf(Intervals - 1);
        byte[] battery = c.ProposalTx(2, new SpendingEffect(20, PayeeKind.External, "Batteries Ltd", "shared battery"), "A battery", "For the street.");
        c.Produce(t + 1, battery, c.StatementTx(2, "The battery pays for itself in six years.", Id(battery)));
        c.Produce(t + 2, c.VoteTx(1, Id(battery), VoteChoice.Yes), c.VoteTx(2, Id(battery), VoteChoice.Yes), c.VoteTx(3, Id(battery), VoteChoice.No));
        c.Produce(t + 600_001, c.FundPayoutTx(Id(battery), 20, "invoice 7"));
        byte[] resolution = c.ProposalTx(3, new ResolutionEffect(), "Street party in June", "Shall we?");
        c.Produce(t + 600_002, resolution);
        Resolution = Id(resolution);
        BatteryId = Id(battery);

        Store = ChainStore.Open(Path.Combine(Directory, "chain.db"), c.Genesis);
        foreach (Block block in c.Blocks) Store.Append(block);
        Backend = new StoreBackend(Store, c.Validator);
        KeyFile.FromSeed(MemberSeed(1)).WriteNew(MemberKeyPath);

        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        app = builder.Build();
        app.UseGatewayProblems();
        app.MapGatewayApi(Backend);
        app.MapWebApp();
        app.StartAsync().GetAwaiter().GetResult();
        Url = app.Urls.Single();
        Client = new HttpClient { BaseAddress = new Uri(Url), Timeout = TimeSpan.FromSeconds(30) };
    }

    public string Directory { get; }
    public string Url { get; }
    public HttpClient Client { get; }
    public TestCommunity Community { get; }
    public ChainStore Store { get; }
    public StoreBackend Backend { get; }
    public byte[] Resolution { get; }
    public byte[] BatteryId { get; }
    public string MemberKeyPath => Path.Combine(Directory, "h1-member.key");

    /// <summary>The seed TestCommunity gives house h<paramref name="house"/>'s member key.</summary>
    public static byte[] MemberSeed(int house)
    {
        var seed = new byte[32];
        seed[0] = (byte)(10 + house);
        seed[31] = 0x5a;
        return seed;
    }

    public void Dispose()
    {
        Client.Dispose();
        app.StopAsync().GetAwaiter().GetResult();
        ((IDisposable)app).Dispose();
        Store.Dispose();
        Community.Dispose();
        System.IO.Directory.Delete(Directory, recursive: true);
    }
}
