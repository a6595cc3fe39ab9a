using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Text.Json;
using System.Xml.Linq;

namespace CommunityGrid.Meter.Esp32.Tests;

/// <summary>The ESP32 app's files, read from the working tree.</summary>
internal static class EspProject
{
    public const string AppDir = "firmware/CommunityGrid.Meter.Esp32";
    public const string ProjectFile = AppDir + "/CommunityGrid.Meter.Esp32.nfproj";
    public const string PackagesFile = AppDir + "/packages.config";

    public static string Root =>
        typeof(EspProject).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "RepositoryRoot").Value!;

    public static string PathOf(string relative) => Path.Combine(Root, relative);

    public static XDocument Project() => XDocument.Load(PathOf(ProjectFile));

    /// <summary>(id, version, targetFramework) of every package line.</summary>
    public static (string Id, string Version, string? Framework)[] Packages() =>
        XDocument.Load(PathOf(PackagesFile)).Root!.Elements("package")
            .Select(p => ((string)p.Attribute("id")!, (string)p.Attribute("version")!, (string?)p.Attribute("targetFramework")))
            .ToArray();

    /// <summary>HintPaths of the project's references, with '/' separators.</summary>
    public static string[] HintPaths() =>
        Project().Descendants().Where(e => e.Name.LocalName == "HintPath").Select(e => e.Value.Replace('\\', '/')).ToArray();

    /// <summary>
    /// The Compile items as MSBuild itself expands them (globs, excludes). The nanoFramework imports are conditional, so
    /// plain MSBuild can evaluate the project without the nanoFramework extension.
    /// </summary>
    public static string[] CompileItems()
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Root,
        };
        foreach (string arg in new[] { "msbuild", PathOf(ProjectFile), "-getItem:Compile", "-nologo" }) start.ArgumentList.Add(arg);
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        using Process process = Process.Start(start)!;
        string output = process.StandardOutput.ReadToEnd();
        string errors = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0) throw new InvalidOperationException($"dotnet msbuild -getItem failed ({process.ExitCode}):\n{output}\n{errors}");
        using JsonDocument json = JsonDocument.Parse(output);
        return json.RootElement.GetProperty("Items").GetProperty("Compile").EnumerateArray()
            .Select(item => Path.GetFullPath(item.GetProperty("FullPath").GetString()!))
            .ToArray();
    }

    /// <summary>Every .cs file under a folder of the repository, bin/ and obj/ left out.</summary>
    public static string[] SourceFiles(string relativeDir)
    {
        string dir = PathOf(relativeDir);
        return Directory.EnumerateFiles(dir, "*.cs", SearchOption.AllDirectories)
            .Where(f =>
            {
                string rel = Path.GetRelativePath(dir, f).Replace('\\', '/');
                return !rel.StartsWith("bin/", StringComparison.Ordinal) && !rel.StartsWith("obj/", StringComparison.Ordinal);
            })
            .Select(Path.GetFullPath)
            .OrderBy(f => f, StringComparer.Ordinal)
            .ToArray();
    }

    public static IEnumerable<string> Relative(IEnumerable<string> paths) =>
        paths.Select(p => Path.GetRelativePath(Root, p).Replace('\\', '/')).OrderBy(p => p, StringComparer.Ordinal);
}
