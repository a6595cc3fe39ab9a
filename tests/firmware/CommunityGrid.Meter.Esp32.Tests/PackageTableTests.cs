using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;

namespace CommunityGrid.Meter.Esp32.Tests;

/// <summary>
/// The app's packages are exactly the 1.x line that pairs with nanoFramework.CoreLibrary 1.17.11: a version bump,
/// a missing dependency or a 2.x package fails here, because nothing else on this machine can build the app.
/// </summary>
public sealed class PackageTableTests
{
    /// <summary>The table of shared/notes/esp32-app.md (authoritative), copied so CI does not depend on shared/.</summary>
    internal static readonly Dictionary<string, string> NoteTable = new(StringComparer.Ordinal)
    {
        ["nanoFramework.Hardware.Esp32"] = "1.6.42",
        ["nanoFramework.System.Device.I2c"] = "1.1.29",
        ["nanoFramework.System.IO.Ports"] = "1.1.139",
        ["nanoFramework.System.IO.FileSystem"] = "1.1.93",
        ["nanoFramework.System.Device.Wifi"] = "1.5.147",
        ["nanoFramework.M2Mqtt"] = "5.1.220",
        ["nanoFramework.System.Security.Cryptography"] = "1.0.43",
    };

    /// <summary>
    /// The IoT.Device packages the note leaves unversioned: the newest 1.x builds found whose nuspec pins CoreLibrary
    /// 1.17.11 (see firmware/CommunityGrid.Meter.Esp32/README.md, "Package versions").
    /// </summary>
    internal static readonly Dictionary<string, string> IotPackages = new(StringComparer.Ordinal)
    {
        ["nanoFramework.Iot.Device.Ina219"] = "1.2.889",
        ["nanoFramework.Iot.Device.CharacterLcd"] = "1.1.801",
        ["nanoFramework.Iot.Device.Pcx857x"] = "1.2.907",
    };

    /// <summary>What the direct packages depend on (packages.config does not resolve dependencies), from their nuspecs.</summary>
    internal static readonly Dictionary<string, string> Closure = new(StringComparer.Ordinal)
    {
        ["nanoFramework.CoreLibrary"] = "1.17.11",
        ["nanoFramework.Graphics.Core"] = "1.2.45",
        ["nanoFramework.Iot.Device.Multiplexing"] = "1.2.862",
        ["nanoFramework.Iot.Device.ShiftRegister"] = "1.2.867",
        ["nanoFramework.ResourceManager"] = "1.2.32",
        ["nanoFramework.Runtime.Events"] = "1.11.39",
        ["nanoFramework.Runtime.Native"] = "1.7.11",
        ["nanoFramework.System.Buffers.Binary.BinaryPrimitives"] = "1.2.862",
        ["nanoFramework.System.Collections"] = "1.5.75",
        ["nanoFramework.System.Device.Gpio"] = "1.1.57",
        ["nanoFramework.System.Device.Model"] = "1.2.862",
        ["nanoFramework.System.Device.Spi"] = "1.3.82",
        ["nanoFramework.System.Diagnostics.Stopwatch"] = "1.2.862",
        ["nanoFramework.System.IO.Streams"] = "1.1.96",
        ["nanoFramework.System.Math"] = "1.5.116",
        ["nanoFramework.System.Net"] = "1.11.60",
        ["nanoFramework.System.Text"] = "1.3.42",
        ["nanoFramework.System.Threading"] = "1.1.52",
        ["UnitsNet.nanoFramework.ElectricCurrent"] = "5.75.0",
        ["UnitsNet.nanoFramework.ElectricPotential"] = "5.75.0",
        ["UnitsNet.nanoFramework.Power"] = "5.75.0",
    };

    private static Dictionary<string, string> Expected() =>
        NoteTable.Concat(IotPackages).Concat(Closure).ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);

    [Fact]
    public void Packages_config_is_exactly_the_expected_table()
    {
        var actual = EspProject.Packages();
        Assert.Equal(actual.Length, actual.Select(p => p.Id).Distinct(StringComparer.Ordinal).Count());
        var problems = new List<string>();
        var expected = Expected();
        foreach (var (id, version, framework) in actual)
        {
            if (!expected.TryGetValue(id, out string? want)) problems.Add($"{id} {version} is not in the table");
            else if (want != version) problems.Add($"{id} is {version}, the table says {want}");
            if (framework != "netnano1.0") problems.Add($"{id} has targetFramework '{framework}', expected netnano1.0");
        }
        foreach (var (id, version) in expected)
        {
            if (!actual.Any(p => p.Id == id)) problems.Add($"{id} {version} is missing");
        }
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Fact]
    public void Every_note_version_is_used_and_core_library_is_1_17_11()
    {
        var actual = EspProject.Packages().ToDictionary(p => p.Id, p => p.Version, StringComparer.Ordinal);
        foreach (var (id, version) in NoteTable) Assert.Equal(version, actual[id]);
        Assert.Equal("1.17.11", actual["nanoFramework.CoreLibrary"]);
        // No 2.x (generics) line sneaks in: every nanoFramework package but M2Mqtt (5.x, still the 1.x runtime) is 1.*.
        foreach (var (id, version) in actual.Where(p => p.Key.StartsWith("nanoFramework.", StringComparison.Ordinal) && p.Key != "nanoFramework.M2Mqtt"))
        {
            Assert.True(version.StartsWith("1.", StringComparison.Ordinal), $"{id} {version} is not on the 1.x line");
        }
    }

    [Fact]
    public void Every_reference_points_into_a_listed_package_and_every_package_is_referenced()
    {
        var packages = EspProject.Packages();
        var hintPaths = EspProject.HintPaths();
        var folderOf = new Regex(@"^packages/(?<folder>[^/]+)/lib/[^/]+\.dll$");
        var folders = new HashSet<string>(StringComparer.Ordinal);
        foreach (string hint in hintPaths)
        {
            Match match = folderOf.Match(hint);
            Assert.True(match.Success, $"HintPath {hint} is not packages/<id>.<version>/lib/<assembly>.dll");
            string folder = match.Groups["folder"].Value;
            Assert.True(packages.Any(p => p.Id + "." + p.Version == folder), $"HintPath {hint} names no package of packages.config");
            folders.Add(folder);
        }
        foreach (var (id, version, _) in packages)
        {
            Assert.True(folders.Contains(id + "." + version), $"{id} {version} is in packages.config but no Reference uses it");
        }
    }

    /// <summary>
    /// When the note is beside the repository (as on the developers' machines and in CI, which lay shared/ next to the
    /// clone), its table must equal <see cref="NoteTable"/>. Without it there is nothing to compare with.
    /// </summary>
    [Fact]
    public void Embedded_table_matches_the_note_when_it_is_present()
    {
        string note = Path.GetFullPath(Path.Combine(EspProject.Root, "..", "shared", "notes", "esp32-app.md"));
        if (!File.Exists(note)) return;
        var row = new Regex(@"^\|[^|]*\|\s*(?<id>nanoFramework\.[A-Za-z0-9.]+)\s*\|\s*(?<version>\d+\.\d+\.\d+)\s*\|\s*$");
        var fromNote = File.ReadAllLines(note)
            .Select(line => row.Match(line))
            .Where(m => m.Success)
            .ToDictionary(m => m.Groups["id"].Value, m => m.Groups["version"].Value, StringComparer.Ordinal);
        Assert.NotEmpty(fromNote);
        Assert.Equal(fromNote.OrderBy(p => p.Key, StringComparer.Ordinal), NoteTable.OrderBy(p => p.Key, StringComparer.Ordinal));
    }
}
