using System;
using System.CommandLine;
using System.IO;
using System.Net;
using System.Threading;
using System.Threading.Tasks;
using CommunityGrid.Chain.Genesis;
using CommunityGrid.Formats.Keys;
using CommunityGrid.Formats.Signing;
using CommunityGrid.Node.Hosting;
using CommunityGrid.Node.Ingest;
using Microsoft.Extensions.Logging;

namespace CommunityGrid.Cli.Commands.Gateway;

/// <summary><c>cgrid gateway run</c>: runs a street's gateway node until SIGTERM or Ctrl-C (docs/operations.md).</summary>
public static class GatewayCommand
{
    public static Command Create()
    {
        var gateway = new Command("gateway", "Run a street's gateway node");
        gateway.Subcommands.Add(CreateRun());
        return gateway;
    }

    private static Command CreateRun()
    {
        var genesis = new Option<string?>("--genesis") { Description = "Genesis file of the community (required, except with --read-only: default genesis.json inside --data, as `cgrid simulate` writes it)" };
        var data = new Option<string>("--data") { Description = "Data directory (holds chain.sqlite; a new chain is created only in a directory that never held one, see --init)", Required = true };
        var key = new Option<string?>("--key") { Description = "This gateway's key file (cgrid keys new); must be the genesis validator. Required, except with --read-only" };
        var http = new Option<string?>("--http") { Description = "Serve the HTTP API on this address: IP:PORT, localhost:PORT or :PORT (off when not given; 127.0.0.1:8080 with --read-only)" };
        var readOnly = new Option<bool>("--read-only")
        {
            Description = "Only serve the stored chain over HTTP (e.g. a `cgrid simulate` output): no key, no blocks, no MQTT; the database is not written and POST /transactions is refused",
        };
        var mqtt = new Option<string?>("--mqtt") { Description = "Embedded MQTT broker address (default 127.0.0.1:1883)" };
        var broker = new Option<string?>("--mqtt-broker") { Description = "Use an external broker instead, e.g. mqtt://127.0.0.1:1883" };
        var brokerUser = new Option<string?>("--mqtt-username") { Description = "Username at the external broker" };
        var brokerPasswordFile = new Option<string?>("--mqtt-password-file") { Description = "File holding the password at the external broker" };
        var maxConnections = new Option<int?>("--mqtt-max-connections")
        {
            Description = $"Open connections the embedded broker accepts in all, logged in or not (default {BrokerLimits.Default.MaxConnections}); raise it for a street with more meters",
        };
        var period = new Option<int>("--block-period-ms") { Description = "How often a block is attempted, ms", DefaultValueFactory = _ => 1000 };
        var logFormat = new Option<string>("--log-format") { Description = "simple (one line per event) or json", DefaultValueFactory = _ => "simple" };
        logFormat.AcceptOnlyFromAmong("simple", "json");
        var verbose = new Option<bool>("--verbose") { Description = "Also log each ack sent (debug level)" };
        var p2p = new Option<string?>("--p2p")
        {
            Description = "Where to listen for the other gateways when the community has several, e.g. 0.0.0.0:26656 (default: the address the genesis names for this gateway's key)",
        };
        var p2pSource = new Option<string?>("--p2p-source") { Description = "Local IP address connections to the other gateways start from (default: the system's choice)" };
        var init = new Option<bool>("--init")
        {
            Description = "Start a new chain from genesis even though --data held one (its chain.sqlite is empty, lost or damaged). Not needed for a new, empty directory",
        };
        var join = new Option<bool>("--join")
        {
            Description = "This gateway's key was added to the validators by a vote after genesis: follow the chain from the others and vote once the change is in force (needs --p2p, the address the proposal named)",
        };

        var command = new Command("run", "Run the gateway: verify the chain, take readings over MQTT, produce blocks, acknowledge")
        {
            genesis, data, key, http, mqtt, maxConnections, broker, brokerUser, brokerPasswordFile, period, logFormat, verbose, p2p, p2pSource, join, init, readOnly,
        };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            TextWriter error = parseResult.InvocationConfiguration.Error;
            if (parseResult.GetValue(readOnly))
            {
                Option[] producing = [key, mqtt, maxConnections, broker, brokerUser, brokerPasswordFile, period, init];
                foreach (Option given in producing)
                {
                    if (parseResult.GetResult(given) is { Implicit: false })
                    {
                        error.WriteLine($"error: --read-only serves a stored chain and takes no part in it, so {given.Name} does not apply; drop {given.Name} (or --read-only)");
                        return ExitCodes.BadInput;
                    }
                }
                using ILoggerFactory readOnlyLogging = NodeLogging.Create(parseResult.GetValue(logFormat)!, parseResult.GetValue(verbose));
                return await ReadOnlyRun.RunAsync(parseResult.GetValue(data)!, parseResult.GetValue(genesis), parseResult.GetValue(http), readOnlyLogging, error, cancellationToken);
            }
            foreach (Option requiredToProduce in new Option[] { genesis, key })
            {
                if (parseResult.GetValue((Option<string?>)requiredToProduce) is null)
                {
                    error.WriteLine($"error: {requiredToProduce.Name} is required to run a gateway (or give --read-only to only serve a stored chain)");
                    return ExitCodes.BadInput;
                }
            }
            if (parseResult.GetValue(mqtt) is not null && parseResult.GetValue(broker) is not null)
            {
                error.WriteLine("error: give either --mqtt (embedded broker) or --mqtt-broker (external broker), not both");
                return ExitCodes.BadInput;
            }
            if (parseResult.GetValue(maxConnections) is { } cap && (cap <= 0 || parseResult.GetValue(broker) is not null))
            {
                error.WriteLine(cap <= 0
                    ? "error: --mqtt-max-connections must be a positive number of connections"
                    : "error: --mqtt-max-connections bounds the embedded broker; an external broker (--mqtt-broker) sets its own limits");
                return ExitCodes.BadInput;
            }
            if (parseResult.GetValue(period) <= 0)
            {
                error.WriteLine("error: --block-period-ms must be a positive number of milliseconds");
                return ExitCodes.BadInput;
            }
            NodeSettings settings;
            IPEndPoint? peerListen;
            IPAddress? peerSource = null;
            try
            {
                if (parseResult.GetValue(p2pSource) is { } source && !IPAddress.TryParse(source, out peerSource))
                {
                    throw new FormatException($"--p2p-source '{source}' is not an IP address");
                }
                peerListen = Input.ListenAddress.Parse(parseResult.GetValue(p2p), "--p2p");
                settings = NodeSettings.Read(
                    parseResult.GetValue(genesis)!, parseResult.GetValue(key)!, parseResult.GetValue(http), parseResult.GetValue(mqtt),
                    parseResult.GetValue(broker), parseResult.GetValue(brokerUser), parseResult.GetValue(brokerPasswordFile));
            }
            catch (Exception e) when (e is GenesisException or KeyFileException or FormatException or IOException)
            {
                error.WriteLine("error: " + e.Message);
                return ExitCodes.BadInput;
            }
            using ILoggerFactory logging = NodeLogging.Create(parseResult.GetValue(logFormat)!, parseResult.GetValue(verbose));
            using Ed25519Signer validator = Ed25519Signer.FromSeed(settings.Key.Seed);
            var options = new NodeOptions
            {
                Genesis = settings.Genesis,
                DataDirectory = parseResult.GetValue(data)!,
                ValidatorKey = validator,
                MqttEndpoint = settings.Mqtt,
                MqttLimits = parseResult.GetValue(maxConnections) is { } connections
                    ? BrokerLimits.Default with { MaxConnections = connections }
                    : BrokerLimits.Default,
                ExternalBroker = settings.Broker,
                ExternalBrokerUsername = parseResult.GetValue(brokerUser),
                ExternalBrokerPassword = settings.BrokerPassword,
                HttpEndpoint = settings.Http,
                BlockPeriod = TimeSpan.FromMilliseconds(parseResult.GetValue(period)),
                LoggerFactory = logging,
                InitChain = parseResult.GetValue(init),
                // Used only when the genesis names several validators; a gateway that commits alone has no peers.
                Consensus = new ConsensusOptions(settings.Key.Seed, Path.Combine(parseResult.GetValue(data)!, ConsensusOptions.SignStateFileName))
                {
                    ListenEndPoint = peerListen,
                    DialFrom = peerSource,
                    JoinAsAddedValidator = parseResult.GetValue(join),
                },
            };
            return await RunAsync(options, logging, error, cancellationToken);
        });
        return command;
    }

    internal static async Task<int> WaitForStop(ILogger logger, CancellationToken stop)
    {
        // Under a systemd unit with Type=notify (deploy/), the unit becomes active only now that the chain has
        // verified and the broker and API listen; elsewhere NOTIFY_SOCKET is unset and this does nothing.
        var systemd = new Microsoft.Extensions.Hosting.Systemd.SystemdNotifier();
        if (systemd.IsEnabled) systemd.Notify(Microsoft.Extensions.Hosting.Systemd.ServiceState.Ready);
        try
        {
            await Task.Delay(Timeout.Infinite, stop);
        }
        catch (OperationCanceledException)
        {
            logger.LogInformation("shutdown requested; stopping");
            if (systemd.IsEnabled) systemd.Notify(Microsoft.Extensions.Hosting.Systemd.ServiceState.Stopping);
        }
        return ExitCodes.Success;
    }

    private static async Task<int> RunAsync(NodeOptions options, ILoggerFactory logging, TextWriter error, CancellationToken stop)
    {
        ILogger logger = logging.CreateLogger("CommunityGrid.Cli.Gateway");
        GatewayNode node;
        try
        {
            node = await GatewayNode.StartAsync(options, stop);
        }
        catch (NodeStartupException e)
        {
            logger.LogCritical("gateway not started: {Problem}", e.Message);
            error.WriteLine("error: " + e.Message);
            return ExitCodes.CheckFailed;
        }
        await using (node)
        {
            return await WaitForStop(logger, stop);
        }
    }
}

/// <summary>The run options read and checked, with the files they name loaded.</summary>
internal sealed record NodeSettings(GenesisDocument Genesis, KeyFile Key, IPEndPoint? Http, IPEndPoint? Mqtt, BrokerAddress? Broker, string? BrokerPassword)
{
    public static NodeSettings Read(string genesisPath, string keyPath, string? http, string? mqtt, string? broker, string? brokerUser, string? brokerPasswordFile)
    {
        if (!File.Exists(genesisPath)) throw new FileNotFoundException($"genesis file {genesisPath} does not exist");
        GenesisDocument genesis = GenesisFile.Load(genesisPath);
        KeyFile key = KeyFile.Read(keyPath);
        BrokerAddress? external = broker is null ? null : BrokerAddress.Parse(broker);
        if (external is null && (brokerUser is not null || brokerPasswordFile is not null))
        {
            throw new FormatException("--mqtt-username and --mqtt-password-file go with --mqtt-broker");
        }
        string? password = brokerPasswordFile is null ? null : File.ReadAllText(brokerPasswordFile).TrimEnd('\r', '\n');
        IPEndPoint? embedded = external is null ? Input.ListenAddress.Parse(mqtt, "--mqtt") ?? NodeOptions.DefaultMqttEndpoint : null;
        return new NodeSettings(genesis, key, Input.ListenAddress.Parse(http, "--http"), embedded, external, password);
    }
}
