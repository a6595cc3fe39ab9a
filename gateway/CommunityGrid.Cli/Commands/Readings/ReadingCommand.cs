using System;
using System.CommandLine;
using System.IO;
using System.Text.Json;
using CommunityGrid.Cli.Input;
using CommunityGrid.Formats;
using CommunityGrid.Formats.Readings;

namespace CommunityGrid.Cli.Commands.Readings;

public static class ReadingCommand
{
    public static Command Create()
    {
        var reading = new Command("reading", "Work with signed meter readings (COSE_Sign1)");
        reading.Subcommands.Add(CreateInspect());
        return reading;
    }

    private static Command CreateInspect()
    {
        var input = new Argument<string>("input")
        {
            Description = "The COSE_Sign1 reading: hex text, a file (hex text or raw bytes), or - for stdin",
        };
        var expectKey = new Option<string?>("--expect-key")
        {
            Description = "The meter's public key (hex) the reading must be signed with, e.g. from its enrolment",
        };
        var command = new Command("inspect", "Decode a signed reading, print it as JSON and verify its signature") { input, expectKey };
        command.SetAction(parseResult =>
        {
            TextWriter stdout = parseResult.InvocationConfiguration.Output;
            TextWriter stderr = parseResult.InvocationConfiguration.Error;
            OpenedReading opened;
            try
            {
                opened = SignedReadingCodec.Open(BinaryInput.Read(parseResult.GetValue(input)!, Console.In));
            }
            catch (Exception e) when (e is InputException or ProtocolFormatException or IOException)
            {
                stderr.WriteLine("error: not a valid signed reading: " + e.Message);
                return ExitCodes.BadInput;
            }

            stdout.WriteLine(ToJson(opened));
            string keyHex = Convert.ToHexStringLower(opened.KeyId);
            if (!opened.SignatureValid)
            {
                stderr.WriteLine($"error: the signature does not verify under the key in the message ({keyHex}); the reading was altered or signed with another key — do not accept it");
                return ExitCodes.CheckFailed;
            }
            string? expected = parseResult.GetValue(expectKey);
            if (expected is not null && !string.Equals(expected.Trim(), keyHex, StringComparison.OrdinalIgnoreCase))
            {
                stderr.WriteLine($"error: the reading is signed by {keyHex}, not by the expected key {expected.Trim()}; check which meter sent it and its enrolment");
                return ExitCodes.CheckFailed;
            }
            return ExitCodes.Success;
        });
        return command;
    }

    private static string ToJson(OpenedReading opened)
    {
        MeterReading r = opened.Reading;
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteString("chainId", r.ChainId);
            json.WriteString("meterId", r.MeterId);
            json.WriteNumber("sequence", r.Sequence);
            json.WriteNumber("intervalStart", r.IntervalStart);
            json.WriteString("intervalStartUtc", DateTimeOffset.FromUnixTimeSeconds(r.IntervalStart).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'"));
            json.WriteNumber("intervalLengthSeconds", r.IntervalLengthSeconds);
            json.WriteNumber("importWh", r.ImportWh);
            json.WriteNumber("exportWh", r.ExportWh);
            json.WriteNumber("pvWh", r.PvWh);
            json.WriteString("firmwareVersion", r.FirmwareVersion);
            json.WriteString("keyId", Convert.ToHexStringLower(opened.KeyId));
            json.WriteString("signature", opened.SignatureValid ? "valid" : "invalid");
            json.WriteEndObject();
        }
        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }
}
