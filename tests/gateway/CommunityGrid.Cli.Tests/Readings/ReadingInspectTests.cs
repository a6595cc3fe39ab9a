using System;
using System.IO;
using System.Text.Json;
using CommunityGrid.Formats.Keys;
using CommunityGrid.Protocol.Cose;
using CommunityGrid.Protocol.Readings;

namespace CommunityGrid.Cli.Tests.Readings;

public sealed class ReadingInspectTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("cgrid-inspect-").FullName;
    private readonly KeyFile _meterKey = KeyFile.Generate();

    private static MeterReading SampleReading() =>
        new("oakfield", "h017-grid", 42, 1780315200, 900, 123_456, 7_890, 45_678, "cg-meter 0.1.0");

    /// <summary>Signed by the portable code, as the meter does it.</summary>
    private byte[] SignedByMeter() => SignedReading.Create(SampleReading(), _meterKey.Seed);

    [Fact]
    public void Prints_a_meter_signed_reading_as_json_and_accepts_its_signature()
    {
        var result = CgridProcess.Run(null, "reading", "inspect", Convert.ToHexString(SignedByMeter()));

        Assert.True(result.ExitCode == 0, result.Stderr);
        using var json = JsonDocument.Parse(result.Stdout);
        JsonElement root = json.RootElement;
        Assert.Equal("oakfield", root.GetProperty("chainId").GetString());
        Assert.Equal("h017-grid", root.GetProperty("meterId").GetString());
        Assert.Equal(42, root.GetProperty("sequence").GetInt64());
        Assert.Equal(1780315200, root.GetProperty("intervalStart").GetInt64());
        Assert.Equal("2026-06-01T12:00:00Z", root.GetProperty("intervalStartUtc").GetString());
        Assert.Equal(900, root.GetProperty("intervalLengthSeconds").GetInt32());
        Assert.Equal(123_456, root.GetProperty("importWh").GetInt64());
        Assert.Equal(7_890, root.GetProperty("exportWh").GetInt64());
        Assert.Equal(45_678, root.GetProperty("pvWh").GetInt64());
        Assert.Equal("cg-meter 0.1.0", root.GetProperty("firmwareVersion").GetString());
        Assert.Equal(_meterKey.PublicKeyHex, root.GetProperty("keyId").GetString());
        Assert.Equal("valid", root.GetProperty("signature").GetString());
    }

    [Fact]
    public void Reads_raw_bytes_and_hex_text_from_files_and_stdin()
    {
        byte[] cose = SignedByMeter();
        string raw = Path.Combine(_dir, "reading.cbor");
        string hex = Path.Combine(_dir, "reading.hex");
        File.WriteAllBytes(raw, cose);
        File.WriteAllText(hex, Convert.ToHexString(cose) + "\n");

        Assert.Equal(0, CgridProcess.Run(null, "reading", "inspect", raw).ExitCode);
        Assert.Equal(0, CgridProcess.Run(null, "reading", "inspect", hex).ExitCode);
        Assert.Equal(0, CgridProcess.Run(Convert.ToHexString(cose), "reading", "inspect", "-").ExitCode);
    }

    [Fact]
    public void A_changed_register_fails_the_signature_with_exit_code_1()
    {
        byte[] cose = SignedByMeter();
        // Re-sign nothing: alter the import register's last byte inside the payload.
        byte[] payloadImport = [0x1A, 0x00, 0x01, 0xE2, 0x40]; // uint 123456
        int at = IndexOf(cose, payloadImport);
        Assert.True(at > 0, "test setup: the import register's encoding was not found in the message");
        cose[at + payloadImport.Length - 1] ^= 0x01;

        var result = CgridProcess.Run(null, "reading", "inspect", Convert.ToHexString(cose));

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("\"signature\": \"invalid\"", result.Stdout);
        Assert.Contains("does not verify", result.Stderr);
    }

    [Fact]
    public void A_reading_from_another_key_than_expected_fails_with_exit_code_1()
    {
        string other = KeyFile.Generate().PublicKeyHex;
        var result = CgridProcess.Run(null, "reading", "inspect", Convert.ToHexString(SignedByMeter()), "--expect-key", other);
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("not by the expected key", result.Stderr);

        var right = CgridProcess.Run(null, "reading", "inspect", Convert.ToHexString(SignedByMeter()), "--expect-key", _meterKey.PublicKeyHex);
        Assert.Equal(0, right.ExitCode);
    }

    [Theory]
    [InlineData("truncated")]
    [InlineData("odd-hex")]
    [InlineData("not-hex")]
    [InlineData("plain-cbor-not-cose")]
    public void Malformed_input_is_exit_code_2_with_a_reason(string kind)
    {
        string hex = Convert.ToHexString(SignedByMeter());
        string argument = kind switch
        {
            "truncated" => hex[..(hex.Length - 20)],
            "odd-hex" => hex[..^1],
            "not-hex" => "this-is-not-a-reading",
            "plain-cbor-not-cose" => "A10102",
            _ => throw new ArgumentOutOfRangeException(nameof(kind)),
        };

        var result = CgridProcess.Run(null, "reading", "inspect", argument);

        Assert.Equal(2, result.ExitCode);
        Assert.StartsWith("error: ", result.Stderr);
        Assert.Equal("", result.Stdout);
    }

    private static int IndexOf(byte[] haystack, byte[] needle)
    {
        for (int i = 0; i + needle.Length <= haystack.Length; i++)
        {
            if (haystack.AsSpan(i, needle.Length).SequenceEqual(needle))
            {
                return i;
            }
        }
        return -1;
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
