using System;
using CommunityGrid.Meter.Intervals;
using CommunityGrid.Protocol.Cbor;
using CommunityGrid.Protocol.Cose;
using CommunityGrid.Protocol.Crypto;

namespace CommunityGrid.Meter.Messaging
{
    /// <summary>
    /// A signed instruction that moves a meter to its house's new chain (docs/breakaway.md §5, docs/protocol.md §7.5):
    /// deterministic CBOR map {1: the chain the meter is on, 2: meter id, 3: new chain id, 4: start of the first interval
    /// for the new chain, 5: the new chain's gateway keys, 6: its brokers' URLs}, carried as a COSE_Sign1 with <see cref="MessageContentTypes.Move"/> and signed by a key the meter trusts (its
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
        public const int KeyNewGatewayKeys = 5;
        public const int KeyNewBrokers = 6;

        /// <summary>At most this many gateway keys and this many broker URLs: a community's gateways, with room to spare.</summary>
        public const int MaxEntries = 16;

        /// <summary>A move without the new chain's gateways (the simulator's, and a recorder moved directly): not deliverable to a meter.</summary>
        public MoveInstruction(string chainId, string meterId, string newChainId, long fromIntervalStart)
            : this(chainId, meterId, newChainId, fromIntervalStart, new byte[0][], new string[0])
        {
        }

        public MoveInstruction(string chainId, string meterId, string newChainId, long fromIntervalStart, byte[][] newGatewayKeys, string[] newBrokers)
        {
            ArgumentNullException.ThrowIfNull(chainId);
            ArgumentNullException.ThrowIfNull(meterId);
            ArgumentNullException.ThrowIfNull(newChainId);
            ArgumentNullException.ThrowIfNull(newGatewayKeys);
            ArgumentNullException.ThrowIfNull(newBrokers);
            ChainId = chainId;
            MeterId = meterId;
            NewChainId = newChainId;
            FromIntervalStart = fromIntervalStart;
            NewGatewayKeys = newGatewayKeys;
            NewBrokers = newBrokers;
        }

        public string ChainId { get; }

        public string MeterId { get; }

        public string NewChainId { get; }

        public long FromIntervalStart { get; }

        /// <summary>The new chain's gateway keys: from the move on, the meter believes acks and display data signed by these.</summary>
        public byte[][] NewGatewayKeys { get; }

        /// <summary>Where the new chain's gateways take readings (<see cref="BrokerUrl"/>), the first preferred, the others fallbacks.</summary>
        public string[] NewBrokers { get; }

        public byte[] EncodePayload()
        {
            CborEncoder encoder = new CborEncoder(160 + 34 * NewGatewayKeys.Length);
            encoder.WriteMapHeader(6);
            encoder.WriteInt64(KeyChainId);
            encoder.WriteTextString(ChainId);
            encoder.WriteInt64(KeyMeterId);
            encoder.WriteTextString(MeterId);
            encoder.WriteInt64(KeyNewChainId);
            encoder.WriteTextString(NewChainId);
            encoder.WriteInt64(KeyFromIntervalStart);
            encoder.WriteInt64(FromIntervalStart);
            encoder.WriteInt64(KeyNewGatewayKeys);
            encoder.WriteArrayHeader(NewGatewayKeys.Length);
            for (int i = 0; i < NewGatewayKeys.Length; i++) encoder.WriteByteString(NewGatewayKeys[i]);
            encoder.WriteInt64(KeyNewBrokers);
            encoder.WriteArrayHeader(NewBrokers.Length);
            for (int i = 0; i < NewBrokers.Length; i++) encoder.WriteTextString(NewBrokers[i]);
            return encoder.ToArray();
        }

        /// <exception cref="CborFormatException">not deterministic CBOR, or a value of the wrong CBOR type.</exception>
        /// <exception cref="MessageFormatException">a key missing or unknown, a gateway key not 32 bytes, a broker URL malformed.</exception>
        public static MoveInstruction DecodePayload(byte[] payload)
        {
            ArgumentNullException.ThrowIfNull(payload);
            CborDecoder decoder = new CborDecoder(payload);
            int pairs = MessageFields.ReadMapHeader(decoder, MessageName);
            string? chainId = null, meterId = null, newChainId = null;
            long from = 0;
            byte[][]? keys = null;
            string[]? brokers = null;
            int seen = 0;
            for (int i = 0; i < pairs; i++)
            {
                int key = MessageFields.ReadKey(decoder, MessageName, KeyNewBrokers);
                seen |= 1 << key;
                switch (key)
                {
                    case KeyChainId: chainId = MessageFields.ReadText(decoder, MessageName, "chain id"); break;
                    case KeyMeterId: meterId = MessageFields.ReadText(decoder, MessageName, "meter id"); break;
                    case KeyNewChainId: newChainId = MessageFields.ReadText(decoder, MessageName, "new chain id"); break;
                    case KeyFromIntervalStart: from = MessageFields.ReadUnsigned(decoder, MessageName, "from interval start"); break;
                    case KeyNewGatewayKeys: keys = ReadKeys(decoder); break;
                    default: brokers = ReadBrokers(decoder); break;
                }
            }
            decoder.ExpectEnd();
            if (seen != 0x7e) throw new MessageFormatException(MessageName, "map", "keys 1..6 are all required");
            return new MoveInstruction(chainId!, meterId!, newChainId!, from, keys!, brokers!);
        }

        /// <summary>Why a meter cannot follow this move (no gateway key or broker of the new chain), or null.</summary>
        public string? FindDeliveryProblem()
        {
            if (NewGatewayKeys.Length == 0) return "names no gateway key of the new chain, so the meter could believe no ack there";
            if (NewBrokers.Length == 0) return "names no broker of the new chain, so the meter would not know where to send";
            return null;
        }

        private static byte[][] ReadKeys(CborDecoder decoder)
        {
            int count = ReadArrayHeader(decoder, "new gateway keys");
            byte[][] keys = new byte[count][];
            for (int i = 0; i < count; i++)
            {
                if (decoder.PeekKind() != CborItemKind.ByteString)
                {
                    throw new CborFormatException(MessageName + " new gateway keys must hold byte strings, found " + CborItemKinds.Describe(decoder.PeekKind()), decoder.Position);
                }
                keys[i] = decoder.ReadByteString();
                if (keys[i].Length != Ed25519.PublicKeySize)
                {
                    throw new MessageFormatException(MessageName, "new gateway keys", "key " + i + " must be " + Ed25519.PublicKeySize + " bytes, got " + keys[i].Length);
                }
            }
            return keys;
        }

        private static string[] ReadBrokers(CborDecoder decoder)
        {
            int count = ReadArrayHeader(decoder, "new brokers");
            string[] brokers = new string[count];
            for (int i = 0; i < count; i++)
            {
                brokers[i] = MessageFields.ReadText(decoder, MessageName, "new broker");
                string? problem = BrokerUrl.FindProblem(brokers[i]);
                if (problem != null) throw new MessageFormatException(MessageName, "new brokers", "\"" + brokers[i] + "\" " + problem);
                // One scheme for all: the meter keeps one TLS setting per connection (docs/protocol.md §7.5).
                if (i > 0 && BrokerUrl.Parse(brokers[i]).Tls != BrokerUrl.Parse(brokers[0]).Tls)
                {
                    throw new MessageFormatException(MessageName, "new brokers", "all must use the same scheme (all mqtt:// or all mqtts://)");
                }
            }
            return brokers;
        }

        private static int ReadArrayHeader(CborDecoder decoder, string field)
        {
            if (decoder.PeekKind() != CborItemKind.Array)
            {
                throw new CborFormatException(MessageName + " " + field + " must be an array, found " + CborItemKinds.Describe(decoder.PeekKind()), decoder.Position);
            }
            int count = decoder.ReadArrayHeader();
            if (count > MaxEntries) throw new MessageFormatException(MessageName, field, "at most " + MaxEntries + " entries, got " + count);
            return count;
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
        /// chain it is on, and name the new chain's gateways. The move starts at key 4's interval, or, when the meter has
        /// already reported that interval (the instruction came late), at the first interval it has not reported: those
        /// went to the old chain alone, which refuses them once the house has left, and the first reading on the new
        /// chain carries their energy (its registers are cumulative). Either way no interval is signed for both chains.
        /// Returns false, changing nothing, when the meter has already made this same move (a retained instruction
        /// arrives again at every connect).
        /// </summary>
        /// <exception cref="FormatException">malformed.</exception>
        /// <exception cref="UntrustedSignerException">signed by a key the meter does not trust.</exception>
        /// <exception cref="CoseSignatureException">the signature does not verify.</exception>
        /// <exception cref="MessageFormatException">for another meter or another chain, or naming no gateway or broker of the new chain.</exception>
        /// <exception cref="InvalidOperationException">the meter has moved to another chain before.</exception>
        /// <exception cref="ArgumentException">the new chain id or the interval is not acceptable.</exception>
        /// <exception cref="CommunityGrid.Meter.Storage.StorageException">the move could not be persisted; it is not made.</exception>
        public static bool Apply(byte[] cose, TrustedSigners signers, ReadingBuilder builder, IntervalRecorder recorder)
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
            string? problem = move.FindDeliveryProblem();
            if (problem != null) throw new MessageFormatException(MessageName, "new chain", problem);
            if (builder.MovedToChainId != null && builder.MovedToChainId == move.NewChainId) return false;
            long firstUnreported = recorder.LastReportedIntervalStart < 0 ? 0 : recorder.LastReportedIntervalStart + builder.IntervalLengthSeconds;
            recorder.MoveChain(move, move.FromIntervalStart > firstUnreported ? move.FromIntervalStart : firstUnreported);
            return true;
        }
    }
}
