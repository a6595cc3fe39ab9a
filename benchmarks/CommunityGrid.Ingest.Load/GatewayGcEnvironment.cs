using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;

namespace CommunityGrid.Ingest.Load;

/// <summary>
/// The garbage collector's settings a deployed gateway runs with: the DOTNET_GC* variables of the repository's
/// deploy/systemd/communitygrid-gateway.service (docs/operations.md, "Memory"), read from that file so the harness
/// measures what an installed gateway does. `--gc runtime-defaults` measures without them.
/// </summary>
public static class GatewayGcEnvironment
{
    private const string Unit = "deploy/systemd/communitygrid-gateway.service";

    public static IReadOnlyDictionary<string, string> FromServiceUnit()
    {
        string unit = FindUnit() ?? throw new InvalidOperationException($"{Unit} not found above {AppContext.BaseDirectory}: run the harness from the repository's build, or pass --gc runtime-defaults");
        var settings = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (string line in File.ReadLines(unit).Where(l => l.StartsWith("Environment=", StringComparison.Ordinal)))
        {
            foreach (string pair in line["Environment=".Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                int equals = pair.IndexOf('=', StringComparison.Ordinal);
                if (equals > 0 && pair.StartsWith("DOTNET_GC", StringComparison.Ordinal)) settings[pair[..equals]] = pair[(equals + 1)..];
            }
        }
        if (settings.Count == 0) throw new InvalidOperationException($"{unit} sets no DOTNET_GC* variable; pass --gc runtime-defaults");
        return settings;
    }

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
