using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text.Json;

namespace CommunityGrid.NanoCheck.Tests;

public class NanoCheckTests
{
    public static TheoryData<string, string> PortableProjects()
    {
        var data = new TheoryData<string, string>();
        foreach (var (portableDir, nanoProject) in RepositoryLayout.PortableProjects)
        {
            data.Add(portableDir, nanoProject);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(PortableProjects))]
    public void Nano_build_uses_no_generics_and_no_multidimensional_arrays(string portableDir, string nanoProject)
    {
        _ = portableDir;
        IReadOnlyList<string> violations = NanoMetadataScanner.FindViolations(RepositoryLayout.NanoAssemblyPath(nanoProject));
        Assert.True(violations.Count == 0,
            $"{nanoProject} uses what nanoFramework 1.x cannot run:\n  " + string.Join("\n  ", violations));
    }

    [Theory]
    [MemberData(nameof(PortableProjects))]
    public void Nano_build_never_indexes_a_string(string portableDir, string nanoProject)
    {
        _ = portableDir;
        IReadOnlyList<string> calls = NanoMetadataScanner.FindStringIndexerCalls(RepositoryLayout.NanoAssemblyPath(nanoProject));
        Assert.True(calls.Count == 0,
            $"{nanoProject}: on nanoFramework s[i] returns the wrong half of a surrogate pair (characters above U+FFFF):\n  " + string.Join("\n  ", calls));
    }

    [Theory]
    [MemberData(nameof(PortableProjects))]
    public void Nano_build_compiles_every_portable_source_file(string portableDir, string nanoProject)
    {
        string portableRoot = Path.Combine(RepositoryLayout.Root, portableDir);
        var expected = Directory.EnumerateFiles(portableRoot, "*.cs", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(portableRoot, f))
            .Where(f => !f.StartsWith("bin" + Path.DirectorySeparatorChar) && !f.StartsWith("obj" + Path.DirectorySeparatorChar))
            .OrderBy(f => f, StringComparer.Ordinal)
            .ToArray();
        var compiled = CompileItemsOf(Path.Combine(RepositoryLayout.Root, nanoProject))
            .Select(f => Path.GetRelativePath(portableRoot, f))
            .OrderBy(f => f, StringComparer.Ordinal)
            .ToArray();
        Assert.NotEmpty(expected);
        Assert.Equal(expected, compiled);
    }

    [Fact]
    public void Nano_build_fails_on_an_api_the_device_lacks()
    {
        using var probe = new ProbeBuild("shared/CommunityGrid.Protocol", "GenericListProbe.cs", """
            namespace CommunityGrid.Protocol
            {
                internal static class GenericListProbe
                {
                    public static int Count() { var list = new System.Collections.Generic.List<int>(); return list.Count; }
                }
            }
            """);
        var (exitCode, output) = probe.Build();
        Assert.NotEqual(0, exitCode);
        Assert.Contains("GenericListProbe.cs", output);
        Assert.Contains("error CS0234", output);
        Assert.Contains("'Generic' does not exist in the namespace 'System.Collections'", output);
    }

    [Fact]
    public void Metadata_scan_catches_generics_and_multidimensional_arrays_the_compiler_accepts()
    {
        using var probe = new ProbeBuild("shared/CommunityGrid.Protocol", "CompilesButCannotRunProbe.cs", """
            namespace CommunityGrid.Protocol
            {
                internal sealed class Box<T> { public T? Value { get; set; } }

                internal static class CompilesButCannotRunProbe
                {
                    public static int Grid() { int[,] cells = new int[2, 3]; return cells.Length; }
                    public static object Boxed() { return new Box<string>(); }
                }
            }
            """);
        var (exitCode, output) = probe.Build();
        Assert.True(exitCode == 0, "the probe should compile (that is the gap the scan closes):\n" + output);

        IReadOnlyList<string> violations = NanoMetadataScanner.FindViolations(probe.AssemblyPath);
        Assert.Contains(violations, v => v.Contains("generic parameter(s) declared"));
        Assert.Contains(violations, v => v.Contains("generic instantiation") && v.Contains("Box"));
        Assert.Contains(violations, v => v.Contains("multi-dimensional array") && v.Contains("Grid"));
    }

    [Fact]
    public void Metadata_scan_catches_a_string_indexed_by_position()
    {
        using var probe = new ProbeBuild("shared/CommunityGrid.Protocol", "StringIndexerProbe.cs", """
            namespace CommunityGrid.Protocol
            {
                internal static class StringIndexerProbe
                {
                    public static char Second(string text) { return text[1]; }
                }
            }
            """);
        var (exitCode, output) = probe.Build();
        Assert.True(exitCode == 0, "the probe should compile (that is the gap the scan closes):\n" + output);
        Assert.Contains(NanoMetadataScanner.FindStringIndexerCalls(probe.AssemblyPath), c => c.Contains("get_Chars"));
    }

    private static IEnumerable<string> CompileItemsOf(string project)
    {
        var start = new ProcessStartInfo("dotnet", $"msbuild \"{project}\" -getItem:Compile -nologo")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start) ?? throw new InvalidOperationException("could not start dotnet");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(2)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"dotnet msbuild -getItem on {project} did not finish in 2 minutes");
        }
        Assert.True(process.ExitCode == 0, $"dotnet msbuild -getItem failed: {stdout.Result}{stderr.Result}");
        using var json = JsonDocument.Parse(stdout.Result);
        foreach (JsonElement item in json.RootElement.GetProperty("Items").GetProperty("Compile").EnumerateArray())
        {
            yield return item.GetProperty("FullPath").GetString()!;
        }
    }
}
