using System.CommandLine;
using System.IO;
using CommunityGrid.Formats.Keys;

namespace CommunityGrid.Cli.Commands.Keys;

public static class KeysCommand
{
    public static Command Create()
    {
        var keys = new Command("keys", "Create and show Ed25519 key files (meters, members, installers, treasurers, gateways)");
        keys.Subcommands.Add(CreateNew());
        keys.Subcommands.Add(CreateShow());
        return keys;
    }

    private static Command CreateNew()
    {
        var output = new Option<string>("--out", "-o")
        {
            Description = "Path of the key file to create (never overwritten)",
            Required = true,
        };
        var command = new Command("new", "Generate a new key file and print its public key") { output, Input.JsonOutput.Option() };
        command.SetAction(parseResult =>
        {
            string path = parseResult.GetValue(output)!;
            var key = KeyFile.Generate();
            try
            {
                key.WriteNew(path);
            }
            catch (KeyFileException e)
            {
                parseResult.InvocationConfiguration.Error.WriteLine("error: " + e.Message);
                return ExitCodes.BadInput;
            }
            catch (IOException e)
            {
                parseResult.InvocationConfiguration.Error.WriteLine($"error: could not write {path}: {e.Message}");
                return ExitCodes.BadInput;
            }
            WritePublicKey(parseResult, path, key.PublicKeyHex);
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command CreateShow()
    {
        var file = new Argument<string>("file") { Description = "Key file to read" };
        var command = new Command("show", "Print the public key of a key file") { file, Input.JsonOutput.Option() };
        command.SetAction(parseResult =>
        {
            try
            {
                string path = parseResult.GetValue(file)!;
                WritePublicKey(parseResult, path, KeyFile.Read(path).PublicKeyHex);
                return ExitCodes.Success;
            }
            catch (KeyFileException e)
            {
                parseResult.InvocationConfiguration.Error.WriteLine("error: " + e.Message);
                return ExitCodes.BadInput;
            }
        });
        return command;
    }

    private static void WritePublicKey(ParseResult parseResult, string path, string publicKeyHex)
    {
        TextWriter stdout = parseResult.InvocationConfiguration.Output;
        if (!Input.JsonOutput.Requested(parseResult))
        {
            stdout.WriteLine(publicKeyHex);
            return;
        }
        Input.JsonOutput.Write(stdout, json =>
        {
            json.WriteStartObject();
            json.WriteString("file", path);
            json.WriteString("publicKey", publicKeyHex);
            json.WriteEndObject();
        });
    }
}
