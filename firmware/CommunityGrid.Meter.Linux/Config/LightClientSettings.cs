using System;
using System.Collections.Generic;
using CommunityGrid.Meter.LightClient;
using CommunityGrid.Protocol.Cbor;

namespace CommunityGrid.Meter.Linux.Config
{
    /// <summary>
    /// The "lightClient" section (docs/meter-linux.md): the community's validator set from the installation (the genesis
    /// set, as `cgrid community init --validator KEY@host:port` named it) and the trust windows in the meter's own
    /// intervals. With it the meter believes only what it verified (docs/meter.md "Light client").
    /// </summary>
    /// <param name="SetEncoding">chain.md §1's canonical set encoding, whose SHA-256 a header's field 8 holds.</param>
    public sealed record LightClientSettings(byte[] SetEncoding, int Validators, long StaleAfterIntervals, long TrustExpiresAfterIntervals)
    {
        public const long DefaultStaleAfterIntervals = 4;
        public const long DefaultTrustExpiresAfterIntervals = 2880;

        internal static LightClientSettings? Parse(LightClientJson? json, string path)
        {
            if (json is null) return null;
            if (json.Validators is null || json.Validators.Length == 0)
            {
                throw new ConfigException($"{path}: \"lightClient.validators\" must list the community's validators as \"KEY@host:port\" (64 hex digits, the address exactly as in the genesis)");
            }
            var entries = new SortedDictionary<string, string>(StringComparer.Ordinal);
            foreach (string validator in json.Validators)
            {
                int at = validator.IndexOf('@');
                string hex = at < 0 ? validator : validator[..at];
                byte[] key;
                try
                {
                    key = Convert.FromHexString(hex);
                }
                catch (FormatException)
                {
                    key = [];
                }
                if (at <= 0 || at == validator.Length - 1 || key.Length != TrustedValidatorSet.KeySize)
                {
                    throw new ConfigException($"{path}: \"lightClient.validators\" entry \"{validator}\" is not KEY@host:port with a 64-hex-digit key");
                }
                // Lower-case hex sorts like the key bytes: the set encoding is ordered by key.
                if (!entries.TryAdd(hex.ToLowerInvariant(), validator[(at + 1)..]))
                {
                    throw new ConfigException($"{path}: \"lightClient.validators\" names key {hex} twice");
                }
            }
            var encoder = new CborEncoder(64 * entries.Count);
            encoder.WriteArrayHeader(entries.Count);
            foreach (KeyValuePair<string, string> entry in entries)
            {
                encoder.WriteArrayHeader(2);
                encoder.WriteByteString(Convert.FromHexString(entry.Key));
                encoder.WriteTextString(entry.Value);
            }
            long stale = json.StaleAfterIntervals ?? DefaultStaleAfterIntervals;
            long expires = json.TrustExpiresAfterIntervals ?? DefaultTrustExpiresAfterIntervals;
            if (stale < 1 || expires < stale)
            {
                throw new ConfigException($"{path}: \"lightClient.staleAfterIntervals\" must be at least 1 and \"trustExpiresAfterIntervals\" at least that, got {stale} and {expires}");
            }
            return new LightClientSettings(encoder.ToArray(), entries.Count, stale, expires);
        }
    }

    internal sealed class LightClientJson
    {
        public string[]? Validators { get; set; }
        public long? StaleAfterIntervals { get; set; }
        public long? TrustExpiresAfterIntervals { get; set; }
    }
}
