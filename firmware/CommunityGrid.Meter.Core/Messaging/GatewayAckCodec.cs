using System;
using CommunityGrid.Protocol.Cbor;
using CommunityGrid.Protocol.Cose;

namespace CommunityGrid.Meter.Messaging
{
    /// <summary>
    /// The ack payload: deterministic CBOR map {1: chain id, 2: meter id, 3: sequence, 4: status, 5: block height,
    /// 6: tx index, 7: reason (rejected only)}, carried as a COSE_Sign1 with <see cref="MessageContentTypes.Ack"/>.
    /// </summary>
    public static class GatewayAckCodec
    {
        public const int KeyChainId = 1;
        public const int KeyMeterId = 2;
        public const int KeySequence = 3;
        public const int KeyStatus = 4;
        public const int KeyBlockHeight = 5;
        public const int KeyTxIndex = 6;
        public const int KeyReason = 7;

        public static byte[] EncodePayload(GatewayAck ack)
        {
            ArgumentNullException.ThrowIfNull(ack);
            CborEncoder encoder = new CborEncoder(128);
            encoder.WriteMapHeader(ack.Reason == null ? 6 : 7);
            encoder.WriteInt64(KeyChainId);
            encoder.WriteTextString(ack.ChainId);
            encoder.WriteInt64(KeyMeterId);
            encoder.WriteTextString(ack.MeterId);
            encoder.WriteInt64(KeySequence);
            encoder.WriteInt64(ack.Sequence);
            encoder.WriteInt64(KeyStatus);
            encoder.WriteInt64((int)ack.Status);
            encoder.WriteInt64(KeyBlockHeight);
            encoder.WriteInt64(ack.BlockHeight);
            encoder.WriteInt64(KeyTxIndex);
            encoder.WriteInt64(ack.TxIndex);
            if (ack.Reason != null)
            {
                encoder.WriteInt64(KeyReason);
                encoder.WriteTextString(ack.Reason);
            }
            return encoder.ToArray();
        }

        /// <exception cref="CborFormatException">not deterministic CBOR, or a value of the wrong CBOR type.</exception>
        /// <exception cref="MessageFormatException">a key missing or unknown, or a value out of range.</exception>
        public static GatewayAck DecodePayload(byte[] payload)
        {
            ArgumentNullException.ThrowIfNull(payload);
            const string Name = GatewayAck.MessageName;
            CborDecoder decoder = new CborDecoder(payload);
            int pairs = MessageFields.ReadMapHeader(decoder, Name);
            string? chainId = null, meterId = null, reason = null;
            long sequence = 0, status = 0, blockHeight = 0, txIndex = 0;
            int seen = 0;
            for (int i = 0; i < pairs; i++)
            {
                int key = MessageFields.ReadKey(decoder, Name, KeyReason);
                seen |= 1 << key;
                switch (key)
                {
                    case KeyChainId: chainId = MessageFields.ReadText(decoder, Name, "chain id"); break;
                    case KeyMeterId: meterId = MessageFields.ReadText(decoder, Name, "meter id"); break;
                    case KeySequence: sequence = MessageFields.ReadUnsigned(decoder, Name, "sequence"); break;
                    case KeyStatus: status = MessageFields.ReadUnsigned(decoder, Name, "status"); break;
                    case KeyBlockHeight: blockHeight = MessageFields.ReadUnsigned(decoder, Name, "block height"); break;
                    case KeyTxIndex: txIndex = MessageFields.ReadUnsigned(decoder, Name, "tx index"); break;
                    default: reason = MessageFields.ReadText(decoder, Name, "reason"); break;
                }
            }
            decoder.ExpectEnd();
            for (int key = KeyChainId; key <= KeyTxIndex; key++)
            {
                if ((seen & (1 << key)) == 0) throw new MessageFormatException(Name, "map", "required key " + key + " is missing; an ack has keys 1..6, and 7 when rejected");
            }
            if (status > (long)AckStatus.Rejected)
            {
                throw new MessageFormatException(Name, "status", "must be 0 (committed), 1 (already committed) or 2 (rejected), got " + status);
            }
            return new GatewayAck(chainId!, meterId!, sequence, (AckStatus)(int)status, blockHeight, txIndex, reason);
        }

        /// <summary>Signs an ack with a gateway seed (the gateway itself signs with its own libraries; this is for devices and tests).</summary>
        public static byte[] Sign(GatewayAck ack, byte[] gatewaySeed)
        {
            return CoseSign1.Sign(EncodePayload(ack), MessageContentTypes.Ack, gatewaySeed);
        }

        /// <summary>Decodes an ack that one of <paramref name="signers"/> signed.</summary>
        /// <exception cref="FormatException">malformed COSE, CBOR or ack.</exception>
        /// <exception cref="UntrustedSignerException">signed by a key not configured.</exception>
        /// <exception cref="CoseSignatureException">the signature does not verify.</exception>
        public static GatewayAck Open(byte[] cose, TrustedSigners signers)
        {
            ArgumentNullException.ThrowIfNull(signers);
            return DecodePayload(signers.OpenPayload(cose, MessageContentTypes.Ack));
        }
    }
}
