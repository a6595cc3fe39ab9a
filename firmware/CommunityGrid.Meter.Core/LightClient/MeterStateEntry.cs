using System;
using CommunityGrid.Protocol.Cbor;

namespace CommunityGrid.Meter.LightClient
{
    /// <summary>
    /// State entry <c>meter/{meterId}</c> (chain.md §3): <c>{1: key, 2: houseId, 3: role, 4: last sequence,
    /// 5: last interval start, 6: import, 7: export, 8: PV}</c>. What the chain last accepted from the meter: once proved
    /// against a verified state root, every reading up to <see cref="LastSequence"/> is settled on chain.
    /// </summary>
    public sealed class MeterStateEntry
    {
        private MeterStateEntry(byte[] publicKey, string houseId, long lastSequence, long lastIntervalStart, long importWh, long exportWh, long pvWh)
        {
            PublicKey = publicKey;
            HouseId = houseId;
            LastSequence = lastSequence;
            LastIntervalStart = lastIntervalStart;
            ImportWh = importWh;
            ExportWh = exportWh;
            PvWh = pvWh;
        }

        public byte[] PublicKey { get; }
        public string HouseId { get; }
        public long LastSequence { get; }
        public long LastIntervalStart { get; }
        public long ImportWh { get; }
        public long ExportWh { get; }
        public long PvWh { get; }

        /// <exception cref="FormatException">not a meter entry.</exception>
        public static MeterStateEntry Decode(byte[] value)
        {
            ArgumentNullException.ThrowIfNull(value);
            CborDecoder decoder = new CborDecoder(value);
            if (decoder.ReadMapHeader() != 8) throw new FormatException("a meter entry is a map of 8 fields");
            Expect(decoder, 1);
            byte[] key = decoder.ReadByteString();
            if (key.Length != 32) throw new FormatException("a meter entry's key is 32 bytes, not " + key.Length);
            Expect(decoder, 2);
            string houseId = decoder.ReadTextString();
            Expect(decoder, 3);
            decoder.ReadUnsigned();
            Expect(decoder, 4);
            long sequence = decoder.ReadUnsigned();
            Expect(decoder, 5);
            long interval = decoder.ReadInt64();
            Expect(decoder, 6);
            long importWh = decoder.ReadInt64();
            Expect(decoder, 7);
            long exportWh = decoder.ReadInt64();
            Expect(decoder, 8);
            long pvWh = decoder.ReadInt64();
            decoder.ExpectEnd();
            return new MeterStateEntry(key, houseId, sequence, interval, importWh, exportWh, pvWh);
        }

        private static void Expect(CborDecoder decoder, long key)
        {
            long found = decoder.ReadUnsigned();
            if (found != key) throw new FormatException("meter entry field " + key + " expected, found " + found);
        }
    }
}
