using System;
using System.IO;
using System.Linq;
using System.Xml.Linq;

namespace CommunityGrid.Meter.Esp32.Tests;

/// <summary>
/// The nanoFramework project and the .NET build stay out of each other's way: the solution never builds the .nfproj
/// (no nanoFramework tooling here), and the app folder stops MSBuild's and NuGet's upward search for the root's
/// Directory.*.props/targets (net10.0, warnings as errors, central package versions) without importing anything.
/// </summary>
public sealed class IsolationTests
{
    [Fact]
    public void The_solution_does_not_contain_the_nanoFramework_project()
    {
        string solution = File.ReadAllText(EspProject.PathOf("CommunityGrid.sln"));
        Assert.DoesNotContain(".nfproj", solution, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("CommunityGrid.Meter.Esp32\\", solution, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Directory.Build.props")]
    [InlineData("Directory.Build.targets")]
    [InlineData("Directory.Packages.props")]
    public void The_app_folder_stops_the_import_chain(string file)
    {
        string path = EspProject.PathOf(EspProject.AppDir + "/" + file);
        Assert.True(File.Exists(path), $"{path} is missing: the root's {file} would apply to the nanoFramework project");
        XDocument doc = XDocument.Load(path);
        Assert.DoesNotContain(doc.Descendants(), e => e.Name.LocalName == "Import");
        Assert.DoesNotContain(doc.Descendants(), e => e.Name.LocalName == "PackageVersion");
    }

    [Fact]
    public void No_sdk_project_sits_in_the_app_folder()
    {
        // A .csproj there would pick up the app's .cs files with the default globs and try to compile them for net10.0.
        string dir = EspProject.PathOf(EspProject.AppDir);
        Assert.Empty(Directory.EnumerateFiles(dir, "*.csproj", SearchOption.AllDirectories));
        Assert.Single(Directory.EnumerateFiles(dir, "*.nfproj", SearchOption.AllDirectories));
    }
}
