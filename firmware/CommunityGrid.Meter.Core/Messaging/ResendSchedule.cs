namespace CommunityGrid.Meter.Messaging
{
    /// <summary>
    /// When the oldest unacknowledged reading goes (again) to the broker: at once when it is not the one in flight,
    /// again after <see cref="ResendAfterMs"/> without an acknowledgement, and at once after a reconnect (the client's
    /// session is RAM-only). Resending is harmless: the gateway acks a byte-identical duplicate again (status 1, docs/protocol.md).
    /// Time is the caller's monotonic ms clock, passed in.
    /// </summary>
    public sealed class ResendSchedule
    {
        public const long DefaultResendAfterMs = 30_000;

        public ResendSchedule(long resendAfterMs)
        {
            if (resendAfterMs <= 0) throw new System.ArgumentOutOfRangeException(nameof(resendAfterMs), "must be positive");
            ResendAfterMs = resendAfterMs;
        }

        public ResendSchedule() : this(DefaultResendAfterMs)
        {
        }

        public long ResendAfterMs { get; }

        /// <summary>The reading sent and not yet acknowledged, 0 when none.</summary>
        public long InFlightSequence { get; private set; }

        public long SentAtMs { get; private set; }

        /// <summary>Should <paramref name="sequence"/> (the queue's oldest) be published at <paramref name="nowMs"/>?</summary>
        public bool ShouldSend(long sequence, long nowMs)
        {
            if (sequence != InFlightSequence) return true;
            // A clock that went backwards cannot say how long it waited: send rather than wait for ever.
            return nowMs < SentAtMs || nowMs - SentAtMs >= ResendAfterMs;
        }

        public void Sent(long sequence, long nowMs)
        {
            InFlightSequence = sequence;
            SentAtMs = nowMs;
        }

        /// <summary>Acks are cumulative: one for the in-flight reading or a later one ends the wait.</summary>
        public void Acknowledged(long sequence)
        {
            if (InFlightSequence != 0 && sequence >= InFlightSequence) InFlightSequence = 0;
        }

        /// <summary>A new connection: the oldest reading goes again at once.</summary>
        public void Reconnected() => InFlightSequence = 0;
    }
}
