using System;
using System.IO;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;
using CommunityGrid.Formats.Signing;

namespace CommunityGrid.Formats.Keys;

/// <summary>
/// An Ed25519 key on disk: a small JSON file holding the RFC 8032 seed and, for convenience and as
/// a typo check, the public key. Meters, members, installers, treasurers and gateways all use it.
/// Written owner-read/write only and never overwritten in place.
/// </summary>
public sealed class KeyFile
{
    public const string FormatName = "communitygrid-key-v1";
    private const int SeedSize = Ed25519Signer.SeedSize;

    public byte[] Seed { get; }

    public byte[] PublicKey { get; }

    public string PublicKeyHex => Convert.ToHexStringLower(PublicKey);

    private KeyFile(byte[] seed)
    {
        Seed = seed;
        using var signer = Ed25519Signer.FromSeed(seed);
        PublicKey = signer.PublicKey;
    }

    public static KeyFile Generate() => new(RandomNumberGenerator.GetBytes(SeedSize));

    /// <summary>A signer for this key; the caller disposes it.</summary>
    public Ed25519Signer CreateSigner() => Ed25519Signer.FromSeed(Seed);

    public static KeyFile FromSeed(byte[] seed)
    {
        ArgumentNullException.ThrowIfNull(seed);
        if (seed.Length != SeedSize)
        {
            throw new ArgumentException($"an Ed25519 seed is {SeedSize} bytes, not {seed.Length}", nameof(seed));
        }
        return new KeyFile((byte[])seed.Clone());
    }

    /// <summary>Writes the key to a new file (mode 0600 on Unix); refuses to replace an existing key.</summary>
    public void WriteNew(string path)
    {
        if (File.Exists(path))
        {
            throw new KeyFileException($"{path} already exists; a key file is never overwritten (move it away first if you really mean to replace that key)");
        }
        string json = JsonSerializer.Serialize(new KeyFileJson(FormatName, "Ed25519", PublicKeyHex, Convert.ToHexStringLower(Seed)), KeyFileJsonContext.Default.KeyFileJson);
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }
        using var stream = new FileStream(path, options);
        using var writer = new StreamWriter(stream);
        writer.Write(json);
        writer.Write('\n');
        writer.Flush();
        stream.Flush(flushToDisk: true);
    }

    public static KeyFile Read(string path)
    {
        if (!File.Exists(path))
        {
            throw new KeyFileException($"key file {path} does not exist; create one with `cgrid keys new --out {path}`");
        }
        KeyFileJson? json;
        try
        {
            json = JsonSerializer.Deserialize(File.ReadAllText(path), KeyFileJsonContext.Default.KeyFileJson);
        }
        catch (JsonException e)
        {
            throw new KeyFileException($"{path} is not a CommunityGrid key file (not valid JSON: {e.Message})");
        }
        if (json is null || json.Format != FormatName || json.Algorithm != "Ed25519")
        {
            throw new KeyFileException($"{path} is not a CommunityGrid key file (expected format \"{FormatName}\", algorithm \"Ed25519\")");
        }
        byte[] seed;
        try
        {
            seed = Convert.FromHexString(json.Seed ?? "");
        }
        catch (FormatException)
        {
            throw new KeyFileException($"{path}: \"seed\" is not hex");
        }
        if (seed.Length != SeedSize)
        {
            throw new KeyFileException($"{path}: \"seed\" must be {SeedSize} bytes ({SeedSize * 2} hex digits), found {seed.Length} bytes");
        }
        var key = new KeyFile(seed);
        if (!string.Equals(key.PublicKeyHex, json.PublicKey, StringComparison.OrdinalIgnoreCase))
        {
            throw new KeyFileException($"{path}: \"publicKey\" does not belong to \"seed\"; the file was edited or damaged — restore it from your backup");
        }
        return key;
    }
}

public sealed class KeyFileException(string message) : Exception(message);

internal sealed record KeyFileJson(
    [property: JsonPropertyName("format")] string? Format,
    [property: JsonPropertyName("algorithm")] string? Algorithm,
    [property: JsonPropertyName("publicKey")] string? PublicKey,
    [property: JsonPropertyName("seed")] string? Seed);

[JsonSourceGenerationOptions(WriteIndented = true)]
[JsonSerializable(typeof(KeyFileJson))]
internal sealed partial class KeyFileJsonContext : JsonSerializerContext;
