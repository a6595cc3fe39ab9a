using System;
using System.IO;
using System.Linq;
using System.Reflection;

namespace CommunityGrid.NanoCheck.Tests;

/// <summary>Where the repository and the nano builds are, as recorded at build time.</summary>
internal static class RepositoryLayout
{
    public static string Root => Metadata("RepositoryRoot");

    public static string Configuration => Metadata("BuildConfiguration");

    /// <summary>The portable projects and their nano-check twins. A new portable project is added here.</summary>
    public static readonly (string PortableDir, string NanoProject)[] PortableProjects =
    [
        ("shared/CommunityGrid.Protocol", "shared/CommunityGrid.Protocol.Nano/CommunityGrid.Protocol.Nano.csproj"),
        ("firmware/CommunityGrid.Meter.Core", "firmware/CommunityGrid.Meter.Core.Nano/CommunityGrid.Meter.Core.Nano.csproj"),
    ];

    public static string NanoAssemblyPath(string nanoProject)
    {
        string projectDir = Path.GetDirectoryName(Path.Combine(Root, nanoProject))!;
        string name = Path.GetFileNameWithoutExtension(nanoProject);
        string path = Path.Combine(projectDir, "bin", Configuration, "net10.0", name + ".dll");
        if (!File.Exists(path))
        {
            throw new FileNotFoundException(
                $"the nano build {path} is missing; build the solution (or this test project, which references it) first", path);
        }
        return path;
    }

    private static string Metadata(string key) =>
        typeof(RepositoryLayout).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .Single(a => a.Key == key).Value
        ?? throw new InvalidOperationException($"assembly metadata {key} is empty");
}
