using System;
using System.IO;
using System.Net;
using System.Threading;
using System.Threading.Tasks;
using CommunityGrid.Chain.Genesis;
using CommunityGrid.Node.Hosting;
using Microsoft.Extensions.Logging;

namespace CommunityGrid.Cli.Commands.Gateway;

/// <summary><c>cgrid gateway run --read-only</c>: serve a stored chain over the HTTP API until SIGTERM or Ctrl-C (docs/operations.md).</summary>
internal static class ReadOnlyRun
{
    /// <summary>Where the API listens when --http is not given: loopback, as everywhere else in the docs.</summary>
    public static readonly IPEndPoint DefaultHttp = new(IPAddress.Loopback, 8080);

    /// <param name="genesisPath">null: genesis.json inside <paramref name="dataDirectory"/>, as <c>cgrid simulate</c> writes it.</param>
    public static async Task<int> RunAsync(string dataDirectory, string? genesisPath, string? http, ILoggerFactory logging, TextWriter error, CancellationToken stop)
    {
        IPEndPoint endpoint;
        GenesisDocument genesis;
        try
        {
            endpoint = Input.ListenAddress.Parse(http, "--http") ?? DefaultHttp;
            if (!Directory.Exists(dataDirectory)) throw new FileNotFoundException($"--data {dataDirectory} is not a directory; give a `cgrid simulate` output or a gateway's data directory");
            string path = genesisPath ?? Path.Combine(dataDirectory, CommunityGrid.Simulation.Pipeline.SimulationOptions.GenesisFileName);
            if (!File.Exists(path))
            {
                throw new FileNotFoundException(genesisPath is null
                    ? $"{path} does not exist; give the community's genesis file with --genesis FILE"
                    : $"genesis file {path} does not exist");
            }
            genesis = GenesisFile.Load(path);
        }
        catch (Exception e) when (e is GenesisException or FormatException or IOException or UnauthorizedAccessException)
        {
            error.WriteLine("error: " + e.Message);
            return ExitCodes.BadInput;
        }
        ILogger logger = logging.CreateLogger("CommunityGrid.Cli.Gateway");
        ReadOnlyGateway gateway;
        try
        {
            gateway = await ReadOnlyGateway.StartAsync(genesis, dataDirectory, endpoint, logging, cancellationToken: stop);
        }
        catch (NodeStartupException e)
        {
            logger.LogCritical("gateway not started: {Problem}", e.Message);
            error.WriteLine("error: " + e.Message);
            return ExitCodes.CheckFailed;
        }
        await using (gateway)
        {
            return await GatewayCommand.WaitForStop(logger, stop);
        }
    }
}
