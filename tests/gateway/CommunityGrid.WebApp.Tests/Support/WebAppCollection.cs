namespace CommunityGrid.WebApp.Tests.Support;

/// <summary>One browser and one gateway for every web app test, run one test at a time (the machine has two cores).</summary>
[CollectionDefinition(Name)]
public sealed class WebAppCollection : ICollectionFixture<Browser>, ICollectionFixture<WebGateway>
{
    public const string Name = "webapp";
}
