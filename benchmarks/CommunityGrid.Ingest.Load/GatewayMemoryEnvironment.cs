using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;

namespace CommunityGrid.Ingest.Load;

/// <summary>
/// The memory settings a deployed gateway runs with: the garbage collector's DOTNET_GC* variables, DOTNET_ReadyToRun
/// and glibc's MALLOC_ARENA_MAX in the Environment= lines of the repository's deploy/systemd/communitygrid-gateway.service
/// (docs/operations.md, "Memory"), read from that file so the harness measures what an installed gateway does.
/// `--gc runtime-defaults` measures without them. The unit's other variables (where the single-file build unpacks,
/// telemetry) do not touch memory and are left out.
/// </summary>
public static class GatewayMemoryEnvironment
{
    private const string Unit = "deploy/systemd/communitygrid-gateway.service";

    public static IReadOnlyDictionary<string, string> FromServiceUnit()
    {
        string unit = FindUnit() ?? throw new InvalidOperationException($"{Unit} not found above {AppContext.BaseDirectory}: run the harness from the repository's build, or pass --gc runtime-defaults");
        IReadOnlyDictionary<string, string> settings = FromUnitLines(File.ReadLines(unit));
        if (!settings.Keys.Any(k => k.StartsWith("DOTNET_GC", StringComparison.Ordinal))) throw new InvalidOperationException($"{unit} sets no DOTNET_GC* variable; pass --gc runtime-defaults");
        return settings;
    }

    /// <summary>The memory variables of a unit's Environment= lines (space-separated NAME=VALUE pairs), by name.</summary>
    public static IReadOnlyDictionary<string, string> FromUnitLines(IEnumerable<string> lines)
    {
        var settings = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (string line in lines.Where(l => l.StartsWith("Environment=", StringComparison.Ordinal)))
        {
            foreach (string pair in line["Environment=".Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                int equals = pair.IndexOf('=', StringComparison.Ordinal);
                if (equals > 0 && IsMemorySetting(pair[..equals])) settings[pair[..equals]] = pair[(equals + 1)..];
            }
        }
        return settings;
    }

    private static bool IsMemorySetting(string name) =>
        name.StartsWith("DOTNET_GC", StringComparison.Ordinal) || name is "DOTNET_ReadyToRun" or "MALLOC_ARENA_MAX";

    private static string? FindUnit()
    {
        for (DirectoryInfo? dir = new(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, Unit);
            if (File.Exists(candidate)) return candidate;
        }
        return null;
    }
}
