using System;
using CommunityGrid.Protocol.Cbor;
using CommunityGrid.Protocol.Cose;

namespace CommunityGrid.Meter.Messaging
{
    /// <summary>
    /// The display payload: deterministic CBOR map {1: chain id, 2: meter id, 3: price minor units per kWh (int),
    /// 4: balance minor units (int), 5: last block height (uint)}, all required, carried as a COSE_Sign1 with
    /// <see cref="MessageContentTypes.Display"/>.
    /// </summary>
    public static class DisplayInfoCodec
    {
        public const int KeyChainId = 1;
        public const int KeyMeterId = 2;
        public const int KeyPrice = 3;
        public const int KeyBalance = 4;
        public const int KeyLastBlockHeight = 5;

        public static byte[] EncodePayload(DisplayInfo info)
        {
            ArgumentNullException.ThrowIfNull(info);
            CborEncoder encoder = new CborEncoder(128);
            encoder.WriteMapHeader(5);
            encoder.WriteInt64(KeyChainId);
            encoder.WriteTextString(info.ChainId);
            encoder.WriteInt64(KeyMeterId);
            encoder.WriteTextString(info.MeterId);
            encoder.WriteInt64(KeyPrice);
            encoder.WriteInt64(info.PriceMinorPerKwh);
            encoder.WriteInt64(KeyBalance);
            encoder.WriteInt64(info.BalanceMinor);
            encoder.WriteInt64(KeyLastBlockHeight);
            encoder.WriteInt64(info.LastBlockHeight);
            return encoder.ToArray();
        }

        /// <exception cref="CborFormatException">not deterministic CBOR, or a value of the wrong CBOR type.</exception>
        /// <exception cref="MessageFormatException">a key missing or unknown, or a value out of range.</exception>
        public static DisplayInfo DecodePayload(byte[] payload)
        {
            ArgumentNullException.ThrowIfNull(payload);
            const string Name = DisplayInfo.MessageName;
            CborDecoder decoder = new CborDecoder(payload);
            int pairs = MessageFields.ReadMapHeader(decoder, Name);
            string? chainId = null, meterId = null;
            long price = 0, balance = 0, height = 0;
            int seen = 0;
            for (int i = 0; i < pairs; i++)
            {
                int key = MessageFields.ReadKey(decoder, Name, KeyLastBlockHeight);
                seen |= 1 << key;
                switch (key)
                {
                    case KeyChainId: chainId = MessageFields.ReadText(decoder, Name, "chain id"); break;
                    case KeyMeterId: meterId = MessageFields.ReadText(decoder, Name, "meter id"); break;
                    case KeyPrice: price = MessageFields.ReadInteger(decoder, Name, "price"); break;
                    case KeyBalance: balance = MessageFields.ReadInteger(decoder, Name, "balance"); break;
                    default: height = MessageFields.ReadUnsigned(decoder, Name, "last block height"); break;
                }
            }
            decoder.ExpectEnd();
            for (int key = KeyChainId; key <= KeyLastBlockHeight; key++)
            {
                if ((seen & (1 << key)) == 0) throw new MessageFormatException(Name, "map", "required key " + key + " is missing; display data has all of the keys 1..5");
            }
            return new DisplayInfo(chainId!, meterId!, price, balance, height);
        }

        public static byte[] Sign(DisplayInfo info, byte[] gatewaySeed)
        {
            return CoseSign1.Sign(EncodePayload(info), MessageContentTypes.Display, gatewaySeed);
        }

        /// <exception cref="FormatException">malformed COSE, CBOR or display data.</exception>
        /// <exception cref="UntrustedSignerException">signed by a key not configured.</exception>
        /// <exception cref="CoseSignatureException">the signature does not verify.</exception>
        public static DisplayInfo Open(byte[] cose, TrustedSigners signers)
        {
            ArgumentNullException.ThrowIfNull(signers);
            return DecodePayload(signers.OpenPayload(cose, MessageContentTypes.Display));
        }
    }
}
