using System;
using System.IO;

namespace CommunityGrid.Cli.Tests.Support;

/// <summary>The checkout the tests were built in, for tests that read its docs and deploy files.</summary>
public static class Repository
{
    public static string Root()
    {
        DirectoryInfo? dir = new(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "CommunityGrid.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("the tests run outside the repository: no CommunityGrid.sln above " + AppContext.BaseDirectory);
    }
}
