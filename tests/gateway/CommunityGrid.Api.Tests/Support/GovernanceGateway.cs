using System;
using System.IO;
using CommunityGrid.Chain.Blocks;
using CommunityGrid.Chain.Governance;
using CommunityGrid.Chain.Tests.Support;
using CommunityGrid.Chain.Transactions;
using CommunityGrid.Storage;
using static CommunityGrid.Chain.Tests.Support.GovernanceSigning;

namespace CommunityGrid.Api.Tests.Support;

/// <summary>
/// A chain with governance history in a real SQLite file, served on Kestrel: h2's exports fill the fund; a spending
/// proposal passes and is paid out in two parts; a price change passes and takes effect; a resolution is still open;
/// statements stand alone, attach and follow.
/// </summary>
public sealed class GovernanceGateway : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("cgrid-api-gov-").FullName;

    public GovernanceGateway()
    {
        Community = new TestCommunity(governance: new GovernanceRules { VotingPeriodSeconds = 600 }).WithMeters();
        TestCommunity c = Community;
        c.Produce(TestCommunity.EndOf(0), c.ReadingTx("m2", 1, 0, 0, 10_000));
        c.Produce(TestCommunity.CloseOf(0));
        long t = TestCommunity.CloseOf(0);
        byte[] battery = c.ProposalTx(1, new SpendingEffect(150, PayeeKind.External, "Batteries Ltd", "shared battery"), "A battery", "For the street.");
        byte[] price = c.ProposalTx(2, Change(7, 310), "Retail 3.10", "The grid raised its price.");
        Statement = c.StatementTx(3, "Who maintains the battery?", Id(battery));
        c.Produce(t + 1, battery, price, Statement);
        Followup = c.StatementTx(1, "The supplier, for ten years.", Id(battery), Id(Statement));
        Standalone = c.StatementTx(2, "Street party on Saturday.");
        c.Produce(t + 2, Followup, Standalone, c.VoteTx(1, Id(battery), VoteChoice.Yes), c.VoteTx(2, Id(battery), VoteChoice.No),
            c.VoteTx(3, Id(battery), VoteChoice.Yes), c.VoteTx(2, Id(price), VoteChoice.Yes));
        c.Produce(t + 600_001, c.FundPayoutTx(Id(battery), 100, "bank 1"));
        c.Produce(t + 600_002, c.FundPayoutTx(Id(battery), 50, "bank 2"));
        Resolution = c.ProposalTx(3, new ResolutionEffect(), "Thank the installer");
        c.Produce(t + 600_003, Resolution, c.VoteTx(3, Id(Resolution), VoteChoice.Abstain));
        c.Produce(TestCommunity.CloseOf(1));
        (BatteryId, PriceId) = (Id(battery), Id(price));

        Store = ChainStore.Open(Path.Combine(directory, "chain.db"), c.Genesis);
        foreach (Block block in c.Blocks) Store.Append(block);
        Server = new ApiServer(new StoreBackend(Store, c.Validator));
    }

    public TestCommunity Community { get; }
    public ChainStore Store { get; }
    public ApiServer Server { get; }
    public byte[] BatteryId { get; }
    public byte[] PriceId { get; }
    public byte[] Resolution { get; }
    public byte[] Statement { get; }
    public byte[] Followup { get; }
    public byte[] Standalone { get; }

    public void Dispose()
    {
        Server.Dispose();
        Store.Dispose();
        Community.Dispose();
        Directory.Delete(directory, recursive: true);
    }
}
