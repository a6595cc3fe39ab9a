using System;
using System.IO;
using System.Text.Json;
using CommunityGrid.Protocol.Crypto;

namespace CommunityGrid.Meter.Linux.Config
{
    /// <summary>
    /// Reads the meter's Ed25519 key from a key file written by <c>cgrid keys new</c> (format communitygrid-key-v1:
    /// JSON with "seed" and, as a typo check, "publicKey", both hex). Read here with the portable Ed25519 because
    /// nothing on the device side depends on gateway code.
    /// </summary>
    public static class MeterKeyFile
    {
        public const string FormatName = "communitygrid-key-v1";

        /// <returns>the 32-byte seed.</returns>
        /// <exception cref="ConfigException">missing, unreadable, another format, or seed and public key disagree.</exception>
        public static byte[] ReadSeed(string path)
        {
            if (!File.Exists(path)) throw new ConfigException($"key file {path} does not exist; create one with `cgrid keys new --out {path}`");
            try
            {
                using JsonDocument document = JsonDocument.Parse(File.ReadAllText(path));
                JsonElement root = document.RootElement;
                if (Text(root, "format") != FormatName || Text(root, "algorithm") != "Ed25519")
                {
                    throw new ConfigException($"{path} is not a CommunityGrid key file (expected format \"{FormatName}\", algorithm \"Ed25519\")");
                }
                byte[] seed = Convert.FromHexString(Text(root, "seed") ?? "");
                if (seed.Length != Ed25519.SeedSize) throw new ConfigException($"{path}: \"seed\" must be 32 bytes (64 hex digits)");
                string publicKey = Convert.ToHexStringLower(Ed25519.PublicKeyFromSeed(seed));
                if (!string.Equals(publicKey, Text(root, "publicKey"), StringComparison.OrdinalIgnoreCase))
                {
                    throw new ConfigException($"{path}: \"publicKey\" does not belong to \"seed\"; the file was edited or damaged");
                }
                return seed;
            }
            catch (Exception e) when (e is JsonException || e is FormatException || e is InvalidOperationException)
            {
                throw new ConfigException($"{path} is not a readable key file: {e.Message}");
            }
        }

        private static string? Text(JsonElement root, string name)
        {
            return root.ValueKind == JsonValueKind.Object && root.TryGetProperty(name, out JsonElement value) && value.ValueKind == JsonValueKind.String
                ? value.GetString()
                : null;
        }
    }
}
