using System.CommandLine;
using System.IO;
using CommunityGrid.Chain.Encoding;
using CommunityGrid.Chain.Transactions;
using CommunityGrid.Cli.Commands.Community;

namespace CommunityGrid.Cli.Commands.Meters;

/// <summary><c>cgrid meter enrol</c>: an installer binds a meter's key to a house on the chain; <c>cgrid meter move</c>: see <see cref="MoveCommand"/>.</summary>
public static class MeterCommand
{
    public static Command Create()
    {
        var meter = new Command("meter", "Meters on the chain");
        meter.Subcommands.Add(CreateEnrol());
        meter.Subcommands.Add(MoveCommand.Create());
        return meter;
    }

    private static Command CreateEnrol()
    {
        Option<string> gateway = AdminSubmission.GatewayOption();
        var installerKey = new Option<string>("--installer-key") { Description = "The installer's key file (cgrid keys new)", Required = true };
        var meterKey = new Option<string>("--meter-key-public") { Description = "The meter's public key, 64 hex digits (cgrid keys show on the meter's key file)", Required = true };
        var meterId = new Option<string>("--meter-id") { Description = "Meter id: 1..64 of A-Z a-z 0-9 . _ -", Required = true };
        var house = new Option<string>("--house") { Description = "House the meter belongs to (a member)", Required = true };
        var role = new Option<string>("--role") { Description = "connection (grid connection point: settles) or pv (PV generation: informative)", Required = true };
        role.AcceptOnlyFromAmong("connection", "pv");
        var import = new Option<long>("--initial-import") { Description = "Import register read off the meter at installation, Wh", DefaultValueFactory = _ => 0 };
        var export = new Option<long>("--initial-export") { Description = "Export register at installation, Wh", DefaultValueFactory = _ => 0 };
        var pv = new Option<long>("--initial-pv") { Description = "PV register at installation, Wh", DefaultValueFactory = _ => 0 };
        Option<long?> nonce = AdminSubmission.NonceOption();
        Option<int> wait = AdminSubmission.WaitOption();

        var command = new Command("enrol", "Enrol a meter: sign an enrol-meter transaction with an installer key and submit it; prints the tx id")
        {
            gateway, installerKey, meterKey, meterId, house, role, import, export, pv, nonce, wait, Input.JsonOutput.Option(),
        };
        command.SetAction(async (parseResult, cancel) =>
        {
            TextWriter error = parseResult.InvocationConfiguration.Error;
            string id = parseResult.GetValue(meterId)!;
            string houseId = parseResult.GetValue(house)!;
            byte[]? key = AdminSubmission.ParseKey(parseResult.GetValue(meterKey)!);
            (long importWh, long exportWh, long pvWh) = (parseResult.GetValue(import), parseResult.GetValue(export), parseResult.GetValue(pv));
            string? problem =
                !Identifiers.IsEntityId(id) ? $"--meter-id '{id}' must be {Identifiers.EntityIdRule}" :
                !Identifiers.IsEntityId(houseId) ? $"--house '{houseId}' must be {Identifiers.EntityIdRule}" :
                key is null ? "--meter-key-public must be the meter's 32-byte public key as 64 hex digits" :
                importWh < 0 || exportWh < 0 || pvWh < 0 ? "--initial-import, --initial-export and --initial-pv are meter registers and cannot be negative" :
                null;
            if (problem is not null)
            {
                error.WriteLine("error: " + problem);
                return ExitCodes.BadInput;
            }
            MeterRole meterRole = parseResult.GetValue(role) == "pv" ? MeterRole.Pv : MeterRole.ConnectionPoint;
            return await AdminSubmission.RunAsync(parseResult, parseResult.GetValue(gateway)!, parseResult.GetValue(installerKey)!, "installer",
                parseResult.GetValue(nonce), parseResult.GetValue(wait),
                (chainId, n) => new EnrolMeterPayload(chainId, n, id, key!, houseId, meterRole, importWh, exportWh, pvWh), cancel);
        });
        return command;
    }
}
