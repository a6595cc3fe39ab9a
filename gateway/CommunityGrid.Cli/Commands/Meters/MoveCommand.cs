using System;
using System.Collections.Generic;
using System.CommandLine;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using CommunityGrid.Chain.Genesis;
using CommunityGrid.Formats.Keys;
using CommunityGrid.Formats.Signing;
using CommunityGrid.Meter.Messaging;
using CommunityGrid.Node.Ingest;
using CommunityGrid.Node.Moves;
using MQTTnet;
using MQTTnet.Protocol;

namespace CommunityGrid.Cli.Commands.Meters;

/// <summary>
/// <c>cgrid meter move</c>: signs a move instruction for every meter of a split genesis (docs/breakaway.md §5,
/// docs/protocol.md §7.5) and leaves them, retained, on the old community's broker, where each meter picks up its own,
/// and/or writes them to files.
/// </summary>
public static class MoveCommand
{
    private static readonly TimeSpan BrokerTimeout = TimeSpan.FromSeconds(10);

    public static Command Create()
    {
        var genesis = new Option<FileInfo>("--genesis") { Description = "The new community's genesis file, as cgrid community split wrote it", Required = true };
        var key = new Option<string>("--key") { Description = "Signing key file: an installer key of the old community, or a gateway key the meters trust", Required = true };
        var newBrokers = new Option<string[]>("--new-broker")
        {
            Description = "Broker of a gateway of the new community the meters send to from now on, mqtt://host:port or mqtts://host:port (repeat; the first is preferred)",
            Required = true,
            Arity = ArgumentArity.OneOrMore,
        };
        var broker = new Option<string?>("--broker") { Description = "The old community's gateway broker to leave the instructions on, retained (mqtt://host:port)" };
        var output = new Option<DirectoryInfo?>("--out") { Description = "Also write each instruction to DIR/{meterId}.move (COSE bytes)" };
        var meters = new Option<string[]>("--meter") { Description = "Only this meter of the genesis (repeat); default: all of them", Arity = ArgumentArity.OneOrMore };
        var command = new Command("move", "Sign move instructions that send the leaving houses' meters to the new community, and leave them on the old community's broker")
        {
            genesis, key, newBrokers, broker, output, meters,
        };
        command.SetAction((parseResult, cancel) => RunAsync(parseResult.GetValue(genesis)!, parseResult.GetValue(key)!, parseResult.GetValue(newBrokers) ?? [],
            parseResult.GetValue(broker), parseResult.GetValue(output), parseResult.GetValue(meters) ?? [], parseResult.InvocationConfiguration.Output,
            parseResult.InvocationConfiguration.Error, cancel));
        return command;
    }

    private static async Task<int> RunAsync(FileInfo genesisFile, string keyPath, string[] newBrokers, string? broker, DirectoryInfo? output, string[] only,
        TextWriter stdout, TextWriter stderr, CancellationToken cancel)
    {
        var problems = new List<string>();
        if (broker is null && output is null) problems.Add("give --broker (the old community's gateway broker) and/or --out (a directory for the files)");
        foreach (string url in newBrokers.Append(broker).OfType<string>())
        {
            if (BrokerUrl.FindProblem(url) is { } problem) problems.Add($"broker URL '{url}' {problem}");
        }
        if (problems.Count == 0 && newBrokers.Select(u => BrokerUrl.Parse(u).Tls).Distinct().Count() > 1)
        {
            problems.Add("the --new-broker URLs must all be mqtt:// or all mqtts:// (a meter keeps one TLS setting)");
        }
        GenesisDocument? document = null;
        KeyFile? signerKey = null;
        try
        {
            document = GenesisFile.Load(genesisFile.FullName);
            if (document.Parent is null || document.Meters is null || document.Meters.Count == 0)
            {
                problems.Add($"{genesisFile.FullName} is not a split genesis with meters (no parent link); write one with cgrid community split");
            }
        }
        catch (Exception e) when (e is GenesisException or IOException or UnauthorizedAccessException)
        {
            problems.Add($"cannot read the genesis {genesisFile.FullName}: {e.Message}");
        }
        try
        {
            signerKey = KeyFile.Read(keyPath);
        }
        catch (KeyFileException e)
        {
            problems.Add(e.Message);
        }
        List<GenesisMeter> moving = document?.Meters?.Where(m => only.Length == 0 || only.Contains(m.MeterId, StringComparer.Ordinal)).ToList() ?? [];
        foreach (string id in only.Where(id => document?.Meters is { } all && !all.Any(m => m.MeterId == id)))
        {
            problems.Add($"--meter '{id}' is not a meter of the new community's genesis");
        }
        if (problems.Count > 0)
        {
            foreach (string problem in problems.Distinct()) stderr.WriteLine("error: " + problem);
            stderr.WriteLine("Nothing was signed; fix the above and run the command again.");
            return ExitCodes.BadInput;
        }

        GenesisParent parent = document!.Parent!;
        byte[][] gatewayKeys = document.Validators.Select(v => Convert.FromHexString(v.PublicKey)).ToArray();
        using Ed25519Signer signer = signerKey!.CreateSigner();
        var signed = moving.Select(m => (m.MeterId, Cose: new MeterMoveInstruction(parent.ChainId, m.MeterId, document.ChainId, parent.ExitIntervalStart,
            gatewayKeys, newBrokers).Sign(signer))).ToList();
        string from = DateTimeOffset.FromUnixTimeSeconds(parent.ExitIntervalStart).UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ");

        if (output is not null)
        {
            try
            {
                Directory.CreateDirectory(output.FullName);
                foreach ((string meterId, byte[] cose) in signed) File.WriteAllBytes(Path.Combine(output.FullName, meterId + ".move"), cose);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                stderr.WriteLine($"error: could not write the instructions to {output.FullName}: {e.Message}");
                return ExitCodes.BadInput;
            }
            stderr.WriteLine($"wrote {signed.Count} instruction(s) to {output.FullName}");
        }
        if (broker is not null)
        {
            string? failure = await PublishAsync(BrokerUrl.Parse(broker), parent.ChainId, signerKey, signer, signed, cancel);
            if (failure is not null)
            {
                stderr.WriteLine("error: " + failure);
                return ExitCodes.CheckFailed;
            }
        }
        foreach ((string meterId, _) in signed)
        {
            stdout.WriteLine($"{meterId}: moves from chain '{parent.ChainId}' to '{document.ChainId}' from {from}" +
                (broker is null ? "" : $", left on cg/{parent.ChainId}/meters/{meterId}/move"));
        }
        return ExitCodes.Success;
    }

    /// <summary>Logs in as a move signer (<see cref="MoveSignerLogin"/>) and publishes each instruction retained, QoS 1; the reason on failure.</summary>
    private static async Task<string?> PublishAsync(BrokerUrl broker, string chainId, KeyFile key, Ed25519Signer signer,
        List<(string MeterId, byte[] Cose)> instructions, CancellationToken cancel)
    {
        string username = MoveSignerLogin.Username(key.PublicKey);
        var options = new MqttClientOptionsBuilder()
            .WithTcpServer(broker.Host, broker.Port)
            .WithProtocolVersion(MQTTnet.Formatter.MqttProtocolVersion.V500)
            .WithClientId(MoveSignerLogin.ClientIdPrefix + key.PublicKeyHex)
            .WithCredentials(username, MqttPassword.For(chainId, username, signer))
            .WithCleanSession(true)
            .WithTimeout(BrokerTimeout);
        if (broker.Tls) options.WithTlsOptions(tls => tls.UseTls(true).WithTargetHost(broker.Host));
        using IMqttClient client = new MqttClientFactory().CreateMqttClient();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        timeout.CancelAfter(BrokerTimeout * 2);
        try
        {
            MqttClientConnectResult connected = await client.ConnectAsync(options.Build(), timeout.Token);
            if (connected.ResultCode != MqttClientConnectResultCode.Success)
            {
                return $"the broker {broker} refused the login ({connected.ResultCode}): {connected.ReasonString}";
            }
            foreach ((string meterId, byte[] cose) in instructions)
            {
                MqttApplicationMessage message = new MqttApplicationMessageBuilder()
                    .WithTopic($"cg/{chainId}/meters/{meterId}/move")
                    .WithPayload(cose)
                    .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
                    .WithRetainFlag()
                    .Build();
                MqttClientPublishResult result = await client.PublishAsync(message, timeout.Token);
                // No subscriber now (the meter offline) is fine: the broker keeps the message for it (retained).
                if (result.ReasonCode is not (MqttClientPublishReasonCode.Success or MqttClientPublishReasonCode.NoMatchingSubscribers))
                {
                    return $"the broker {broker} refused the instruction for meter '{meterId}' ({result.ReasonCode}): {result.ReasonString}";
                }
            }
            await client.DisconnectAsync(new MqttClientDisconnectOptionsBuilder().Build(), CancellationToken.None);
            return null;
        }
        catch (Exception e) when (e is MQTTnet.Exceptions.MqttCommunicationException or OperationCanceledException or System.Net.Sockets.SocketException)
        {
            return $"could not reach the broker {broker}: {e.Message}";
        }
    }
}
