using System;
using CommunityGrid.Meter.Display;
using CommunityGrid.Meter.Queue;
using CommunityGrid.Meter.Storage;
using CommunityGrid.Protocol.Bytes;

namespace CommunityGrid.Meter.Messaging
{
    /// <summary>
    /// What the gateway sends down, applied the same way by every runtime (docs/protocol.md §7.3-7.4): a signed ack
    /// releases its reading (and, acks being cumulative, every earlier one) from the queue; a rejection is kept, with its
    /// reason, for the LCD's last-reading page, so a reading the chain refused never shows as acknowledged; display data
    /// goes to the LCD. Nothing is believed unless a trusted gateway key signed it for this chain and meter.
    /// The newest rejection is kept in an <see cref="AlternatingSlotFile"/> named <c>rejected</c> (int64 sequence, then
    /// the reason in UTF-8), so the page still says "rejected" after a reboot.
    /// </summary>
    public sealed class GatewayDownlink
    {
        public const string RejectionFileName = "rejected";

        private string _chainId;
        private readonly string _meterId;
        private TrustedSigners _signers;
        private readonly ReadingQueue _queue;
        private readonly MeterDisplayState _display;
        private readonly AlternatingSlotFile _rejection;

        public GatewayDownlink(string chainId, string meterId, TrustedSigners signers, ReadingQueue queue, MeterDisplayState display, IFileStore store)
        {
            _chainId = chainId;
            _meterId = meterId;
            _signers = signers;
            _queue = queue;
            _display = display;
            _rejection = new AlternatingSlotFile(store, RejectionFileName);
            AcksTopic = MqttTopics.Acks(chainId, meterId);
            DisplayTopic = MqttTopics.Display(chainId, meterId);
        }

        /// <summary>
        /// False on a light-client meter: an ack saying "committed" (status 0 or 1) no longer releases anything, only a
        /// verified proof does (docs/protocol.md §7.6); a rejection (status 2) still releases, as it is not on chain.
        /// </summary>
        public bool ReleasesOnCommitAcks { get; set; } = true;

        public string AcksTopic { get; private set; }

        public string DisplayTopic { get; private set; }

        /// <summary>
        /// After a move (docs/protocol.md §7.5): acks and display data are taken from the new chain's topics and believed
        /// only when signed by the new chain's gateway keys.
        /// </summary>
        public void MoveTo(string chainId, TrustedSigners signers)
        {
            ArgumentNullException.ThrowIfNull(signers);
            AcksTopic = MqttTopics.Acks(chainId, _meterId);
            DisplayTopic = MqttTopics.Display(chainId, _meterId);
            _chainId = chainId;
            _signers = signers;
        }

        /// <summary>Puts the newest rejection on flash (if any) into the display state; a damaged file shows none.</summary>
        public void Load()
        {
            byte[]? payload = _rejection.Load();
            if (payload == null || payload.Length < 8) return;
            try
            {
                string reason = Utf8.Decode(payload, 8, payload.Length - 8);
                _display.LastRejectedSequence = BigEndian.ReadInt64(payload, 0);
                _display.LastRejectionReason = reason;
            }
            catch (FormatException)
            {
                // A reason that is not UTF-8 cannot come from Save; the page then shows no rejection.
            }
        }

        /// <summary>Opens and applies an ack. <paramref name="released"/> is false for a repeat or one ahead of the queue.</summary>
        /// <exception cref="FormatException">malformed, or for another chain or meter.</exception>
        /// <exception cref="UntrustedSignerException">signed by a key that is not trusted.</exception>
        /// <exception cref="CommunityGrid.Protocol.Cose.CoseSignatureException">the signature does not verify.</exception>
        /// <exception cref="StorageException">the release could not be stored; nothing changed.</exception>
        public GatewayAck ApplyAck(byte[] payload, out bool released)
        {
            GatewayAck ack = GatewayAckCodec.Open(payload, _signers);
            if (!ack.IsFor(_chainId, _meterId)) throw new MessageFormatException("ack", "meter id", "names " + ack.ChainId + "/" + ack.MeterId + ", not this meter");
            if (!ReleasesOnCommitAcks && ack.Status != AckStatus.Rejected)
            {
                released = false;
                return ack;
            }
            released = _queue.Acknowledge(ack.Sequence);
            if (released && ack.Status == AckStatus.Rejected) NoteRejection(ack.Sequence, ack.Reason!);
            _display.LastAcknowledgedSequence = _queue.LastAcknowledged;
            _display.QueueLength = _queue.Count;
            return ack;
        }

        /// <summary>Opens signed display data and shows its price and balance.</summary>
        /// <exception cref="FormatException">malformed, or for another chain or meter.</exception>
        /// <exception cref="UntrustedSignerException">signed by a key that is not trusted.</exception>
        /// <exception cref="CommunityGrid.Protocol.Cose.CoseSignatureException">the signature does not verify.</exception>
        public DisplayInfo ApplyDisplay(byte[] payload)
        {
            DisplayInfo info = DisplayInfoCodec.Open(payload, _signers);
            if (!info.IsFor(_chainId, _meterId)) throw new MessageFormatException("display", "meter id", "names " + info.ChainId + "/" + info.MeterId + ", not this meter");
            // A price or balance proved by the light client is not replaced by one a single gateway merely signed.
            if (!_display.PriceVerified)
            {
                _display.HasPrice = true;
                _display.PriceMinorPerKwh = info.PriceMinorPerKwh;
            }
            if (!_display.BalanceVerified)
            {
                _display.HasBalance = true;
                _display.BalanceMinor = info.BalanceMinor;
            }
            return info;
        }

        private void NoteRejection(long sequence, string reason)
        {
            // RAM first: the LCD must not depend on the flash write; a failed write only loses it at the next reboot.
            _display.LastRejectedSequence = sequence;
            _display.LastRejectionReason = reason;
            byte[] text = Utf8.Encode(reason);
            byte[] payload = new byte[8 + text.Length];
            BigEndian.WriteInt64(payload, 0, sequence);
            Array.Copy(text, 0, payload, 8, text.Length);
            try
            {
                _rejection.Save(payload);
            }
            catch (StorageException)
            {
                // The release itself is stored (the queue's cursor); the LCD shows the rejection until a reboot.
            }
        }
    }
}
