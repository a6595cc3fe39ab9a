using System;
using System.Diagnostics;
using System.IO;

namespace CommunityGrid.NanoCheck.Tests;

/// <summary>
/// A throw-away copy of a portable project's sources plus one probe file, built by the very same
/// NanoCheck.targets the real nano projects use, so the probe tests exercise the real check.
/// </summary>
internal sealed class ProbeBuild : IDisposable
{
    private static readonly TimeSpan BuildTimeout = TimeSpan.FromMinutes(3);

    public string Directory { get; }

    public string AssemblyPath => Path.Combine(Directory, "bin", "probe.dll");

    public ProbeBuild(string portableDir, string probeFileName, string probeSource)
    {
        Directory = Path.Combine(Path.GetTempPath(), "cgrid-nanoprobe-" + Guid.NewGuid().ToString("N"));
        string sources = Path.Combine(Directory, "src");
        CopySources(Path.Combine(RepositoryLayout.Root, portableDir), sources);
        File.WriteAllText(Path.Combine(sources, probeFileName), probeSource);
        string root = RepositoryLayout.Root;
        // Outside the repository no Directory.Build.props is found, so import the repository's own.
        File.WriteAllText(Path.Combine(Directory, "probe.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <Import Project="{root}Directory.Build.props" />
              <Import Project="{root}Directory.Packages.props" />
              <PropertyGroup>
                <PortableSourceDir>{sources}/</PortableSourceDir>
                <AssemblyName>probe</AssemblyName>
                <OutputPath>bin/</OutputPath>
                <AppendTargetFrameworkToOutputPath>false</AppendTargetFrameworkToOutputPath>
              </PropertyGroup>
              <Import Project="{root}build/NanoCheck.targets" />
            </Project>
            """);
    }

    /// <summary>Builds the probe; returns the exit code and everything the build printed.</summary>
    public (int ExitCode, string Output) Build()
    {
        var start = new ProcessStartInfo("dotnet", "build probe.csproj --nologo -nodeReuse:false -p:UseSharedCompilation=false")
        {
            WorkingDirectory = Directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        using var process = Process.Start(start) ?? throw new InvalidOperationException("could not start dotnet");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(BuildTimeout))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"probe build in {Directory} did not finish within {BuildTimeout}");
        }
        return (process.ExitCode, stdout.Result + stderr.Result);
    }

    private static void CopySources(string from, string to)
    {
        foreach (string file in System.IO.Directory.EnumerateFiles(from, "*.cs", SearchOption.AllDirectories))
        {
            string relative = Path.GetRelativePath(from, file);
            string top = relative.Split(Path.DirectorySeparatorChar)[0];
            if (top is "bin" or "obj")
            {
                continue;
            }
            string target = Path.Combine(to, relative);
            System.IO.Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }

    public void Dispose()
    {
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder is harmless; the test result is what matters.
        }
    }
}
