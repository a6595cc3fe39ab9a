using System;
using CommunityGrid.Protocol.Cbor;
using CommunityGrid.Protocol.Crypto;

namespace CommunityGrid.Meter.LightClient
{
    /// <summary>
    /// A block header as chain.md §6 defines it, decoded strictly, NOT yet trusted:
    /// <c>{1: chainId, 2: height, 3: time, 4: previous hash, 5: tx root, 6: state root, 7: settlement root,
    /// 8: validator-set hash, 9: proposer, 10: previous commit hash}</c>; its <see cref="Hash"/> (SHA-256 of the bytes) is the block id a
    /// commit certificate names. Only <see cref="LightClientVerifier"/> decides whether a header is verified.
    /// </summary>
    public sealed class LightHeader
    {
        private const int HashSize = 32;

        private LightHeader(string chainId, long height, long timeMs, byte[] txRoot, byte[] stateRoot, byte[] validatorSetHash, byte[] hash)
        {
            ChainId = chainId;
            Height = height;
            TimeMs = timeMs;
            TxRoot = txRoot;
            StateRoot = stateRoot;
            ValidatorSetHash = validatorSetHash;
            Hash = hash;
        }

        public string ChainId { get; }
        public long Height { get; }

        /// <summary>Block time as the validators agreed it; the meter does not judge it against its own clock.</summary>
        public long TimeMs { get; }
        public byte[] TxRoot { get; }
        public byte[] StateRoot { get; }

        /// <summary>
        /// Field 8. Assumed by the light client to name the set that signs the certificates of the blocks after
        /// this one (see docs/meter.md, "Light client"): a value other than the trusted set's hash announces a change.
        /// </summary>
        public byte[] ValidatorSetHash { get; }

        /// <summary>SHA-256 of the header bytes: the block id.</summary>
        public byte[] Hash { get; }

        /// <exception cref="FormatException">not a header in deterministic CBOR; the message says what is wrong.</exception>
        public static LightHeader Decode(byte[] bytes)
        {
            ArgumentNullException.ThrowIfNull(bytes);
            CborDecoder decoder = new CborDecoder(bytes);
            if (decoder.ReadMapHeader() != 10) throw new FormatException("a block header is a map of 10 fields");
            ExpectKey(decoder, 1);
            string chainId = decoder.ReadTextString();
            ExpectKey(decoder, 2);
            long height = decoder.ReadUnsigned();
            if (height < 1) throw new FormatException("block heights start at 1");
            ExpectKey(decoder, 3);
            long timeMs = decoder.ReadInt64();
            ExpectKey(decoder, 4);
            ReadHash(decoder, "previous hash");
            ExpectKey(decoder, 5);
            byte[] txRoot = ReadHash(decoder, "tx root");
            ExpectKey(decoder, 6);
            byte[] stateRoot = ReadHash(decoder, "state root");
            ExpectKey(decoder, 7);
            ReadHash(decoder, "settlement root");
            ExpectKey(decoder, 8);
            byte[] validatorSetHash = ReadHash(decoder, "validator-set hash");
            ExpectKey(decoder, 9);
            ReadHash(decoder, "proposer key");
            ExpectKey(decoder, 10);
            ReadHash(decoder, "previous commit hash");
            decoder.ExpectEnd();
            return new LightHeader(chainId, height, timeMs, txRoot, stateRoot, validatorSetHash, Sha256.Hash(bytes));
        }

        private static void ExpectKey(CborDecoder decoder, long key)
        {
            long found = decoder.ReadUnsigned();
            if (found != key) throw new FormatException("block header field " + key + " expected, found key " + found);
        }

        private static byte[] ReadHash(CborDecoder decoder, string what)
        {
            byte[] value = decoder.ReadByteString();
            if (value.Length != HashSize) throw new FormatException("block header " + what + " is " + value.Length + " bytes, not " + HashSize);
            return value;
        }
    }
}
