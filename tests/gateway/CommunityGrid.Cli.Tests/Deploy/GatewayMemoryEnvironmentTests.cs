using System.Collections.Generic;
using System.IO;
using System.Linq;
using CommunityGrid.Cli.Tests.Support;
using CommunityGrid.Ingest.Load;

namespace CommunityGrid.Cli.Tests.Deploy;

/// <summary>
/// The ingest load harness (benchmarks/CommunityGrid.Ingest.Load) measures a gateway with the memory settings of its
/// service unit: every DOTNET_GC* variable, DOTNET_ReadyToRun and MALLOC_ARENA_MAX the unit sets, and no other variable.
/// </summary>
public sealed class GatewayMemoryEnvironmentTests
{
    [Fact]
    public void The_harness_takes_every_memory_variable_of_the_gateway_unit()
    {
        string unit = Path.Combine(Repository.Root(), "deploy", "systemd", "communitygrid-gateway.service");
        var set = File.ReadLines(unit)
            .Where(l => l.StartsWith("Environment=", System.StringComparison.Ordinal))
            .SelectMany(l => l["Environment=".Length..].Split(' ', System.StringSplitOptions.RemoveEmptyEntries))
            .Select(pair => pair.Split('=', 2))
            .ToDictionary(p => p[0], p => p[1]);

        IReadOnlyDictionary<string, string> taken = GatewayMemoryEnvironment.FromServiceUnit();

        Assert.Equal("2", taken["MALLOC_ARENA_MAX"]);
        Assert.Equal("0", taken["DOTNET_ReadyToRun"]);
        Assert.Equal("9", taken["DOTNET_GCConserveMemory"]);
        Assert.Equal(set.Where(v => v.Key.StartsWith("DOTNET_GC", System.StringComparison.Ordinal) || v.Key is "DOTNET_ReadyToRun" or "MALLOC_ARENA_MAX").OrderBy(v => v.Key, System.StringComparer.Ordinal),
            taken.OrderBy(v => v.Key, System.StringComparer.Ordinal));
        Assert.Contains("DOTNET_BUNDLE_EXTRACT_BASE_DIR", set.Keys);
        Assert.DoesNotContain("DOTNET_BUNDLE_EXTRACT_BASE_DIR", taken.Keys);
    }

    [Fact]
    public void Variables_that_do_not_touch_memory_are_left_out()
    {
        IReadOnlyDictionary<string, string> taken = GatewayMemoryEnvironment.FromUnitLines(
        [
            "[Service]",
            "Environment=DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_GCgen0MaxBudget=400000",
            "# Environment=MALLOC_ARENA_MAX=8",
            "Environment=MALLOC_ARENA_MAX=2 MALLOC_TOP_PAD_=0",
            "Environment=DOTNET_ReadyToRun=0 DOTNET_BUNDLE_EXTRACT_BASE_DIR=/var/cache/communitygrid",
        ]);
        Assert.Equal(["DOTNET_GCgen0MaxBudget=400000", "DOTNET_ReadyToRun=0", "MALLOC_ARENA_MAX=2"], taken.Select(v => $"{v.Key}={v.Value}"));
    }
}
