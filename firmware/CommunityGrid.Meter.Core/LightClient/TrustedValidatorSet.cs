using System;
using CommunityGrid.Protocol.Cbor;
using CommunityGrid.Protocol.Crypto;

namespace CommunityGrid.Meter.LightClient
{
    /// <summary>
    /// The validator set the meter trusts: the chain's validator-set encoding (chain.md §1,
    /// <c>[[bstr32 key, text address] ...]</c> strictly ascending by key), its keys in that order and its hash
    /// (SHA-256 of the encoding, what a header's field 8 holds). The first one comes from the installation
    /// configuration (the genesis set); later ones only through <see cref="LightClientVerifier.FollowSetChange"/>.
    /// One gateway, one vote: quorum = ⌊2n/3⌋+1 (docs/consensus.md §1).
    /// </summary>
    public sealed class TrustedValidatorSet
    {
        public const int KeySize = 32;

        private readonly byte[][] keys;

        private readonly byte[] encoding;

        private TrustedValidatorSet(byte[][] keys, byte[] encoding, byte[] hash)
        {
            this.keys = keys;
            this.encoding = encoding;
            Hash = hash;
        }

        /// <summary>A copy of the canonical encoding the set was read from (what the meter persists).</summary>
        public byte[] Encoding => (byte[])encoding.Clone();

        public int Count => keys.Length;

        /// <summary>More than two thirds of the set: ⌊2n/3⌋+1.</summary>
        public int Quorum => 2 * keys.Length / 3 + 1;

        /// <summary>SHA-256 of the set's canonical encoding.</summary>
        public byte[] Hash { get; }

        public byte[] KeyAt(int index) => (byte[])keys[index].Clone();

        /// <summary>Decodes the canonical set encoding strictly; keys must be 32 bytes and strictly ascending, at least one.</summary>
        /// <exception cref="FormatException">the bytes are not a canonical validator set; the message says what is wrong.</exception>
        public static TrustedValidatorSet FromEncoding(byte[] encoding)
        {
            ArgumentNullException.ThrowIfNull(encoding);
            CborDecoder decoder = new CborDecoder(encoding);
            int count = decoder.ReadArrayHeader();
            if (count == 0) throw new FormatException("a validator set has at least one validator");
            byte[][] keys = new byte[count][];
            for (int i = 0; i < count; i++)
            {
                if (decoder.ReadArrayHeader() != 2) throw new FormatException("validator " + i + " is not [key, address]");
                byte[] key = decoder.ReadByteString();
                if (key.Length != KeySize) throw new FormatException("validator " + i + " has a key of " + key.Length + " bytes, not " + KeySize);
                decoder.ReadTextString();
                if (i > 0 && Compare(keys[i - 1], key) >= 0)
                {
                    throw new FormatException("validator " + i + " is not after validator " + (i - 1) + " in key order (sorted bytewise, no key twice)");
                }
                keys[i] = key;
            }
            decoder.ExpectEnd();
            return new TrustedValidatorSet(keys, (byte[])encoding.Clone(), Sha256.Hash(encoding));
        }

        /// <summary>The index of <paramref name="key"/> in the set, or -1 for a key that is not a validator (binary search).</summary>
        public int IndexOf(byte[] key)
        {
            ArgumentNullException.ThrowIfNull(key);
            int low = 0;
            int high = keys.Length - 1;
            while (low <= high)
            {
                int middle = (low + high) / 2;
                int order = Compare(keys[middle], key);
                if (order == 0) return middle;
                if (order < 0) low = middle + 1;
                else high = middle - 1;
            }
            return -1;
        }

        /// <summary>Bytewise order, a shorter prefix first.</summary>
        internal static int Compare(byte[] a, byte[] b)
        {
            int common = a.Length < b.Length ? a.Length : b.Length;
            for (int i = 0; i < common; i++)
            {
                if (a[i] != b[i]) return a[i] < b[i] ? -1 : 1;
            }
            return a.Length - b.Length;
        }
    }
}
