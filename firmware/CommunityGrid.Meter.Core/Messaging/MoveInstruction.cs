using System;
using CommunityGrid.Meter.Intervals;
using CommunityGrid.Protocol.Cbor;
using CommunityGrid.Protocol.Cose;

namespace CommunityGrid.Meter.Messaging
{
    /// <summary>
    /// A signed instruction that moves a meter to its house's new chain (docs/breakaway.md §5): deterministic CBOR map
    /// {1: the chain the meter is on, 2: meter id, 3: new chain id, 4: start of the first interval for the new chain},
    /// carried as a COSE_Sign1 with <see cref="MessageContentTypes.Move"/> and signed by a key the meter trusts (its
    /// configured gateway keys, to which an installer key can be added). The meter checks that it names this meter and
    /// the chain it is on, and moves only from an interval it has not reported, so it never signs one interval into
    /// both chains.
    /// </summary>
    public sealed class MoveInstruction
    {
        public const string MessageName = "move instruction";
        public const int KeyChainId = 1;
        public const int KeyMeterId = 2;
        public const int KeyNewChainId = 3;
        public const int KeyFromIntervalStart = 4;

        public MoveInstruction(string chainId, string meterId, string newChainId, long fromIntervalStart)
        {
            ArgumentNullException.ThrowIfNull(chainId);
            ArgumentNullException.ThrowIfNull(meterId);
            ArgumentNullException.ThrowIfNull(newChainId);
            ChainId = chainId;
            MeterId = meterId;
            NewChainId = newChainId;
            FromIntervalStart = fromIntervalStart;
        }

        public string ChainId { get; }

        public string MeterId { get; }

        public string NewChainId { get; }

        public long FromIntervalStart { get; }

        public byte[] EncodePayload()
        {
            CborEncoder encoder = new CborEncoder(96);
            encoder.WriteMapHeader(4);
            encoder.WriteInt64(KeyChainId);
            encoder.WriteTextString(ChainId);
            encoder.WriteInt64(KeyMeterId);
            encoder.WriteTextString(MeterId);
            encoder.WriteInt64(KeyNewChainId);
            encoder.WriteTextString(NewChainId);
            encoder.WriteInt64(KeyFromIntervalStart);
            encoder.WriteInt64(FromIntervalStart);
            return encoder.ToArray();
        }

        /// <exception cref="CborFormatException">not deterministic CBOR, or a value of the wrong CBOR type.</exception>
        /// <exception cref="MessageFormatException">a key missing or unknown.</exception>
        public static MoveInstruction DecodePayload(byte[] payload)
        {
            ArgumentNullException.ThrowIfNull(payload);
            CborDecoder decoder = new CborDecoder(payload);
            int pairs = MessageFields.ReadMapHeader(decoder, MessageName);
            string? chainId = null, meterId = null, newChainId = null;
            long from = 0;
            int seen = 0;
            for (int i = 0; i < pairs; i++)
            {
                int key = MessageFields.ReadKey(decoder, MessageName, KeyFromIntervalStart);
                seen |= 1 << key;
                switch (key)
                {
                    case KeyChainId: chainId = MessageFields.ReadText(decoder, MessageName, "chain id"); break;
                    case KeyMeterId: meterId = MessageFields.ReadText(decoder, MessageName, "meter id"); break;
                    case KeyNewChainId: newChainId = MessageFields.ReadText(decoder, MessageName, "new chain id"); break;
                    default: from = MessageFields.ReadUnsigned(decoder, MessageName, "from interval start"); break;
                }
            }
            decoder.ExpectEnd();
            if (seen != 0x1e) throw new MessageFormatException(MessageName, "map", "keys 1..4 are all required");
            return new MoveInstruction(chainId!, meterId!, newChainId!, from);
        }

        /// <summary>Signs the instruction with a seed (the installer's tool or a gateway; also for tests).</summary>
        public byte[] Sign(byte[] signerSeed)
        {
            return CoseSign1.Sign(EncodePayload(), MessageContentTypes.Move, signerSeed);
        }

        /// <summary>Decodes an instruction one of <paramref name="signers"/> signed.</summary>
        /// <exception cref="FormatException">malformed COSE, CBOR or instruction.</exception>
        /// <exception cref="UntrustedSignerException">signed by a key the meter does not trust.</exception>
        /// <exception cref="CoseSignatureException">the signature does not verify.</exception>
        public static MoveInstruction Open(byte[] cose, TrustedSigners signers)
        {
            ArgumentNullException.ThrowIfNull(signers);
            return DecodePayload(signers.OpenPayload(cose, MessageContentTypes.Move));
        }

        /// <summary>
        /// Verifies a signed instruction and moves the meter: it must be signed by a trusted key, name this meter and the
        /// chain it is on, and start at an interval boundary the meter has not reported yet.
        /// </summary>
        /// <exception cref="FormatException">malformed.</exception>
        /// <exception cref="UntrustedSignerException">signed by a key the meter does not trust.</exception>
        /// <exception cref="CoseSignatureException">the signature does not verify.</exception>
        /// <exception cref="MessageFormatException">for another meter or another chain.</exception>
        /// <exception cref="InvalidOperationException">the interval is already reported, or the meter has moved before.</exception>
        /// <exception cref="ArgumentException">the new chain id or the interval is not acceptable.</exception>
        public static MoveInstruction Apply(byte[] cose, TrustedSigners signers, ReadingBuilder builder, IntervalRecorder recorder)
        {
            ArgumentNullException.ThrowIfNull(builder);
            ArgumentNullException.ThrowIfNull(recorder);
            MoveInstruction move = Open(cose, signers);
            if (move.MeterId != builder.MeterId)
            {
                throw new MessageFormatException(MessageName, "meter id", "is for meter " + move.MeterId + ", this is " + builder.MeterId);
            }
            if (move.ChainId != builder.ChainId)
            {
                throw new MessageFormatException(MessageName, "chain id", "moves a meter of chain " + move.ChainId + ", this meter is on " + builder.ChainId);
            }
            recorder.MoveChain(move.NewChainId, move.FromIntervalStart);
            return move;
        }
    }
}
