using System;
using System.IO;
using CommunityGrid.Chain.Blocks;
using CommunityGrid.Chain.Tests.Blocks;
using CommunityGrid.Chain.Tests.Support;
using CommunityGrid.Storage;

namespace CommunityGrid.Api.Tests.Support;

/// <summary>
/// The busy test chain (enrolments, payments, readings with gaps, interval closes) stored in a real SQLite file
/// in a temporary directory and served by the API on Kestrel.
/// </summary>
public sealed class BusyGateway : IDisposable
{
    public const int Intervals = 4;
    private readonly string directory = Directory.CreateTempSubdirectory("cgrid-api-").FullName;

    public BusyGateway()
    {
        Community = ReplayTests.BusyChain(Intervals);
        Store = ChainStore.Open(Path.Combine(directory, "chain.db"), Community.Genesis);
        foreach (Block block in Community.Blocks) Store.Append(block);
        Backend = new StoreBackend(Store, Community.Validator);
        Server = new ApiServer(Backend);
    }

    public TestCommunity Community { get; }
    public ChainStore Store { get; }
    public StoreBackend Backend { get; }
    public ApiServer Server { get; }

    public void Dispose()
    {
        Server.Dispose();
        Store.Dispose();
        Community.Dispose();
        Directory.Delete(directory, recursive: true);
    }
}
