using System;
using System.CommandLine;
using System.IO;
using CommunityGrid.Clearing;
using CommunityGrid.Clearing.Model;

namespace CommunityGrid.Cli.Commands.Clear;

/// <summary><c>cgrid clear</c>: settle one interval from JSON, to compare mechanisms on your own data.</summary>
public static class ClearCommand
{
    public const int ExitOk = 0;
    public const int ExitMalformedInput = 2;

    public static Command Create()
    {
        var mechanism = new Option<string?>("--mechanism")
        {
            Description = $"Pricing mechanism ({string.Join("|", MechanismNames.All)}); overrides the input's \"mechanism\".",
        };
        var input = new Option<FileInfo?>("--input")
        {
            Description = "Request JSON file (default: standard input).",
        };
        var command = new Command("clear", "Clear one settlement interval: energy positions in, prices and payments out (JSON).");
        command.Options.Add(mechanism);
        command.Options.Add(input);
        command.SetAction(parseResult => Run(parseResult.GetValue(input), parseResult.GetValue(mechanism)));
        return command;
    }

    private static int Run(FileInfo? inputFile, string? mechanism)
    {
        string json;
        try
        {
            json = inputFile is null ? Console.In.ReadToEnd() : File.ReadAllText(inputFile.FullName);
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            return Fail($"--input: cannot read \"{inputFile?.FullName}\" ({error.Message}); give a readable file or pipe JSON to stdin.");
        }

        ClearingResult result;
        try
        {
            result = ClearingEngine.Clear(ClearRequestReader.Read(json, mechanism));
        }
        catch (ClearInputError error)
        {
            return Fail(error.Message);
        }
        catch (ClearingInputException error)
        {
            return Fail($"{error.Field}: {error.Problem} Fix the input and retry.");
        }

        using var stdout = Console.OpenStandardOutput();
        ClearResponseWriter.Write(stdout, result);
        return ExitOk;
    }

    private static int Fail(string message)
    {
        Console.Error.WriteLine($"cgrid clear: {message}");
        return ExitMalformedInput;
    }
}
