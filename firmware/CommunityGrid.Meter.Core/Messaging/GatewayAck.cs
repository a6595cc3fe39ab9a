using CommunityGrid.Protocol.Bytes;

namespace CommunityGrid.Meter.Messaging
{
    /// <summary>
    /// A gateway's answer about one reading (docs/protocol.md, "MQTT topics"): the chain committed it, had already
    /// committed it, or rejected it for good. The constructor enforces the message's rules, so an instance is always
    /// encodable and every decoded one obeys them.
    /// </summary>
    public sealed class GatewayAck
    {
        internal const string MessageName = "ack";

        /// <exception cref="MessageFormatException">a field breaks the rules (ids 1..64 UTF-8 bytes, sequence ≥ 1,
        /// heights and indexes ≥ 0, a reason of 1..256 bytes exactly when the status is Rejected).</exception>
        public GatewayAck(string chainId, string meterId, long sequence, AckStatus status, long blockHeight, long txIndex, string? reason)
        {
            MessageFields.CheckId(MessageName, "chain id", chainId);
            MessageFields.CheckId(MessageName, "meter id", meterId);
            if (sequence < 1) throw new MessageFormatException(MessageName, "sequence", "must be at least 1, got " + sequence);
            if (status != AckStatus.Committed && status != AckStatus.AlreadyCommitted && status != AckStatus.Rejected)
            {
                throw new MessageFormatException(MessageName, "status", "must be 0 (committed), 1 (already committed) or 2 (rejected), got " + (int)status);
            }
            MessageFields.CheckNotNegative(MessageName, "block height", blockHeight);
            MessageFields.CheckNotNegative(MessageName, "tx index", txIndex);
            if (status == AckStatus.Rejected)
            {
                if (reason == null) throw new MessageFormatException(MessageName, "reason", "is required when the status is rejected");
                int bytes = Utf8.Encode(reason).Length;
                if (bytes < 1 || bytes > MessageFields.MaxReasonBytes)
                {
                    throw new MessageFormatException(MessageName, "reason", "must be 1.." + MessageFields.MaxReasonBytes + " UTF-8 bytes, got " + bytes);
                }
            }
            else if (reason != null)
            {
                throw new MessageFormatException(MessageName, "reason", "is only allowed when the status is rejected");
            }
            ChainId = chainId;
            MeterId = meterId;
            Sequence = sequence;
            Status = status;
            BlockHeight = blockHeight;
            TxIndex = txIndex;
            Reason = reason;
        }

        public string ChainId { get; }

        public string MeterId { get; }

        public long Sequence { get; }

        public AckStatus Status { get; }

        /// <summary>Committed: the block holding the reading. Already committed: where the first copy is. Rejected: the chain height when it was rejected.</summary>
        public long BlockHeight { get; }

        /// <summary>The reading's transaction index in that block; 0 when rejected.</summary>
        public long TxIndex { get; }

        /// <summary>Why the chain rejected the reading; null unless <see cref="Status"/> is Rejected.</summary>
        public string? Reason { get; }

        public bool IsFor(string chainId, string meterId)
        {
            return ChainId == chainId && MeterId == meterId;
        }

        public override string ToString()
        {
            return "ack " + ChainId + "/" + MeterId + " seq " + Sequence + " " + StatusName(Status) + " block " + BlockHeight + " tx " + TxIndex
                + (Reason == null ? "" : " reason \"" + Reason + "\"");
        }

        public static string StatusName(AckStatus status)
        {
            switch (status)
            {
                case AckStatus.Committed: return "committed";
                case AckStatus.AlreadyCommitted: return "already-committed";
                case AckStatus.Rejected: return "rejected";
                default: return "status-" + (int)status;
            }
        }
    }
}
