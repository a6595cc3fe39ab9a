using System;
using CommunityGrid.Meter.LightClient;
using CommunityGrid.Protocol.Bytes;
using CommunityGrid.Protocol.Cbor;

namespace CommunityGrid.Meter.Configuration
{
    /// <summary>
    /// The light client's keys (docs/meter.md "Light client"): off unless lightclient.validators lists the community's
    /// validator set from the installation (the genesis set, as <c>cgrid community init --validator KEY@host:port</c>
    /// named it). With it the meter believes only proofs it verified (docs/protocol.md §7.6), and the trust windows
    /// count the meter's own intervals. The same rules as the Linux meter's "lightClient" section.
    /// </summary>
    public sealed class LightClientConfig
    {
        public const long DefaultStaleAfterIntervals = 4;
        public const long DefaultTrustExpiresAfterIntervals = 2880;

        public static readonly string[] Keys = { "lightclient.validators", "lightclient.stale.intervals", "lightclient.trust.intervals" };

        private LightClientConfig(byte[] setEncoding, int validators, long staleAfterIntervals, long trustExpiresAfterIntervals)
        {
            SetEncoding = setEncoding;
            Validators = validators;
            StaleAfterIntervals = staleAfterIntervals;
            TrustExpiresAfterIntervals = trustExpiresAfterIntervals;
        }

        /// <summary>Off: commit acks signed by the gateway keys release readings.</summary>
        public static readonly LightClientConfig Off = new LightClientConfig(new byte[0], 0, DefaultStaleAfterIntervals, DefaultTrustExpiresAfterIntervals);

        public bool Enabled => Validators != 0;

        /// <summary>chain.md §1's canonical set encoding (sorted by key), whose SHA-256 a header's field 8 holds.</summary>
        public byte[] SetEncoding { get; }

        public int Validators { get; }

        /// <summary>Intervals without a verified proof after which the LCD marks figures unverified.</summary>
        public long StaleAfterIntervals { get; }

        /// <summary>Intervals after which the trusted set is too old to follow (the meter must be re-installed).</summary>
        public long TrustExpiresAfterIntervals { get; }

        internal static LightClientConfig Read(ConfigFile file)
        {
            if (!file.IsSet(Keys[0]))
            {
                for (int i = 1; i < Keys.Length; i++)
                {
                    if (file.IsSet(Keys[i])) throw file.Error(Keys[i], "is set but lightclient.validators is not; list the community's validators, or remove the line");
                }
                return Off;
            }
            string[] parts = file.Text(Keys[0], "").Split(',');
            byte[][] keys = new byte[parts.Length][];
            string[] addresses = new string[parts.Length];
            for (int i = 0; i < parts.Length; i++)
            {
                string entry = parts[i].Trim();
                int at = entry.IndexOf('@');
                byte[]? key = at == 64 ? TryHex(entry.Substring(0, 64)) : null;
                string address = at < 0 ? "" : entry.Substring(at + 1);
                if (key == null || address.Length == 0 || address.IndexOf(' ') >= 0)
                {
                    throw file.Error(Keys[0], "validator " + (i + 1) + " of " + parts.Length + " ('" + entry + "') is not KEY@host:port; copy each validator exactly as in the genesis (64 hex digits, '@', its address), separated by commas");
                }
                // Sorted in as they come: the set encoding lists validators in bytewise key order.
                int slot = i;
                while (slot > 0 && TrustedValidatorSet.Compare(keys[slot - 1], key) > 0)
                {
                    keys[slot] = keys[slot - 1];
                    addresses[slot] = addresses[slot - 1];
                    slot--;
                }
                if (slot > 0 && TrustedValidatorSet.Compare(keys[slot - 1], key) == 0)
                {
                    throw file.Error(Keys[0], "names key " + entry.Substring(0, 64) + " twice; list each validator once");
                }
                keys[slot] = key;
                addresses[slot] = address;
            }
            long stale = file.Number(Keys[1], DefaultStaleAfterIntervals, 1, 1_000_000, "at least 1 interval without a verified proof before figures show as unverified (default 4)");
            long expires = file.Number(Keys[2], DefaultTrustExpiresAfterIntervals, 1, 10_000_000, "the intervals a verified set stays trusted (default 2880, 30 days of 15 minutes)");
            if (expires < stale)
            {
                throw file.Error(Keys[2], "'" + expires + "' is below lightclient.stale.intervals (" + stale + "); the trust must last at least as long as the stale window");
            }
            return new LightClientConfig(Encode(keys, addresses), keys.Length, stale, expires);
        }

        private static byte[] Encode(byte[][] keys, string[] addresses)
        {
            CborEncoder encoder = new CborEncoder(64 * keys.Length);
            encoder.WriteArrayHeader(keys.Length);
            for (int i = 0; i < keys.Length; i++)
            {
                encoder.WriteArrayHeader(2);
                encoder.WriteByteString(keys[i]);
                encoder.WriteTextString(addresses[i]);
            }
            return encoder.ToArray();
        }

        private static byte[]? TryHex(string hex)
        {
            try
            {
                return Hex.Decode(hex);
            }
            catch (FormatException)
            {
                return null;
            }
        }
    }
}
