using System;
using CommunityGrid.Protocol.Cbor;

namespace CommunityGrid.Meter.LightClient
{
    /// <summary>
    /// The gateway's proof message for one meter (docs/protocol.md §7.6), decoded strictly, NOT yet believed:
    /// <c>{1: chainId, 2: meterId, 3: header bstr, 4: certificate bstr, 5: [meter entry value bstr, index, size, [path]],
    /// 6: [balance int, index, size, [path]], 7: [tx index, tx count, [path]] (optional), 8: next validator set bstr (optional),
    /// 9: [[intervalStart, price], index, size, [path]]}</c>.
    /// Only <see cref="MeterLightClient"/> decides, through <see cref="LightClientVerifier"/>, what of it is true.
    /// </summary>
    public sealed class ProofMessage
    {
        /// <summary>A path longer than this cannot belong to a tree of at most 2^31 leaves.</summary>
        private const int MaxPathLength = 31;

        private ProofMessage()
        {
            ChainId = "";
            MeterId = "";
            Header = new byte[0];
            Certificate = new byte[0];
            MeterEntry = new byte[0];
            MeterEntryProof = new InclusionProof(0, 0, new byte[0][]);
            BalanceProof = MeterEntryProof;
            PriceProof = MeterEntryProof;
        }

        public string ChainId { get; private set; }
        public string MeterId { get; private set; }
        public byte[] Header { get; private set; }
        public byte[] Certificate { get; private set; }

        /// <summary>The CBOR value of state entry <c>meter/{meterId}</c> (chain.md §3).</summary>
        public byte[] MeterEntry { get; private set; }
        public InclusionProof MeterEntryProof { get; private set; }
        public long Balance { get; private set; }
        public InclusionProof BalanceProof { get; private set; }

        /// <summary>The path of the meter's last reading in this block to its tx root, or null when the block holds none.</summary>
        public InclusionProof? ReadingProof { get; private set; }

        /// <summary>The validator-set encoding the header's field 8 announces, or null when the set does not change.</summary>
        public byte[]? NextValidatorSet { get; private set; }

        /// <summary>State entry <c>price</c> (chain.md §3): the start of the last closed interval (0: none yet) and its price, minor units per kWh.</summary>
        public long PriceIntervalStart { get; private set; }
        public long Price { get; private set; }
        public InclusionProof PriceProof { get; private set; }

        /// <exception cref="FormatException">not a proof message in deterministic CBOR; the message says what is wrong.</exception>
        public static ProofMessage Decode(byte[] bytes)
        {
            ArgumentNullException.ThrowIfNull(bytes);
            CborDecoder decoder = new CborDecoder(bytes);
            int pairs = decoder.ReadMapHeader();
            if (pairs < 7 || pairs > 9) throw new FormatException("a proof message is a map of 7 to 9 keys, not " + pairs);
            ProofMessage message = new ProofMessage();
            ExpectKey(decoder, 1);
            message.ChainId = decoder.ReadTextString();
            ExpectKey(decoder, 2);
            message.MeterId = decoder.ReadTextString();
            ExpectKey(decoder, 3);
            message.Header = decoder.ReadByteString();
            ExpectKey(decoder, 4);
            message.Certificate = decoder.ReadByteString();
            ExpectKey(decoder, 5);
            if (decoder.ReadArrayHeader() != 4) throw new FormatException("proof message key 5 is [value, index, size, path]");
            message.MeterEntry = decoder.ReadByteString();
            message.MeterEntryProof = ReadPosition(decoder, "meter entry");
            ExpectKey(decoder, 6);
            if (decoder.ReadArrayHeader() != 4) throw new FormatException("proof message key 6 is [balance, index, size, path]");
            message.Balance = decoder.ReadInt64();
            message.BalanceProof = ReadPosition(decoder, "balance");
            long previousKey = 6;
            for (int i = 6; i < pairs - 1; i++)
            {
                long key = decoder.ReadUnsigned();
                if (key <= previousKey) throw new FormatException("proof message keys must ascend; key " + key + " after " + previousKey);
                previousKey = key;
                if (key == 7)
                {
                    if (decoder.ReadArrayHeader() != 3) throw new FormatException("proof message key 7 is [index, count, path]");
                    message.ReadingProof = ReadPosition(decoder, "reading");
                }
                else if (key == 8)
                {
                    message.NextValidatorSet = decoder.ReadByteString();
                }
                else
                {
                    throw new FormatException("proof message key " + key + " is not defined");
                }
            }
            long last = decoder.ReadUnsigned();
            if (last != 9) throw new FormatException("proof message key 9 (price) expected last, found " + last);
            if (decoder.ReadArrayHeader() != 4) throw new FormatException("proof message key 9 is [[intervalStart, price], index, size, path]");
            if (decoder.ReadArrayHeader() != 2) throw new FormatException("proof message key 9's value is [intervalStart, price]");
            message.PriceIntervalStart = decoder.ReadInt64();
            message.Price = decoder.ReadInt64();
            message.PriceProof = ReadPosition(decoder, "price");
            decoder.ExpectEnd();
            return message;
        }

        private static void ExpectKey(CborDecoder decoder, long key)
        {
            long found = decoder.ReadUnsigned();
            if (found != key) throw new FormatException("proof message key " + key + " expected, found " + found);
        }

        private static InclusionProof ReadPosition(CborDecoder decoder, string what)
        {
            long index = decoder.ReadUnsigned();
            long size = decoder.ReadUnsigned();
            if (size < 1 || size > int.MaxValue || index >= size) throw new FormatException(what + " proof: leaf " + index + " of a tree of " + size);
            int count = decoder.ReadArrayHeader();
            if (count > MaxPathLength) throw new FormatException(what + " proof: a path of " + count + " hashes");
            byte[][] path = new byte[count][];
            for (int i = 0; i < count; i++)
            {
                path[i] = decoder.ReadByteString();
                if (path[i].Length != 32) throw new FormatException(what + " proof: hash " + i + " is " + path[i].Length + " bytes, not 32");
            }
            return new InclusionProof((int)index, (int)size, path);
        }
    }
}
