using System;
using System.IO;
using CommunityGrid.Chain.Blocks;
using CommunityGrid.Chain.Breakaway;
using CommunityGrid.Chain.Tests.Support;
using CommunityGrid.Storage;

namespace CommunityGrid.Api.Tests.Support;

/// <summary>
/// A chain in a real SQLite file, served on Kestrel, where h2 and h3 leave from interval 1: h2 owes 300 (it imported
/// 1000 Wh in interval 0) and has paid 100 of it; h3 owes nothing and its record is closed at once.
/// </summary>
public sealed class ExitGateway : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("cgrid-api-exit-").FullName;

    public ExitGateway()
    {
        Community = new TestCommunity().WithMeters();
        TestCommunity c = Community;
        c.Produce(TestCommunity.At(10), c.ExitTx(2, 1), c.ExitTx(3, 1));
        c.Produce(TestCommunity.EndOf(0), c.ReadingTx("m2", 1, 0, 1000, 0));
        c.Produce(TestCommunity.CloseOf(0));
        c.Produce(TestCommunity.CloseOf(0) + 1, c.ExitSettlementTx("h2", Chain.Transactions.ExitSettlementKind.ReceivedFromHouse, 100));
        Store = ChainStore.Open(Path.Combine(directory, "chain.db"), c.Genesis);
        foreach (Block block in c.Blocks) Store.Append(block);
        Server = new ApiServer(new StoreBackend(Store, c.Validator));
    }

    public TestCommunity Community { get; }
    public ChainStore Store { get; }
    public ApiServer Server { get; }

    public void Dispose()
    {
        Server.Dispose();
        Store.Dispose();
        Community.Dispose();
        Directory.Delete(directory, recursive: true);
    }
}
