using System.Threading.Tasks;

namespace CommunityGrid.Node.Tests.Support;

/// <summary>The node tests' single-gateway community started as a real process.</summary>
public sealed partial class GatewayProcess
{
    public static Task<GatewayProcess> StartAsync(TestGrid grid, params string[] extraArgs) =>
        StartAsync(grid.GenesisPath, grid.DataDirectory, grid.GatewayKeyPath, extraArgs);
}
