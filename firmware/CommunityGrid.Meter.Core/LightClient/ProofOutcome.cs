namespace CommunityGrid.Meter.LightClient
{
    /// <summary>What <see cref="MeterLightClient.Apply"/> made of one proof message, for the log and tests.</summary>
    public sealed class ProofOutcome
    {
        internal ProofOutcome(LightClientVerdict verdict, string reason, long height, long chainSequence, bool released, long releasedThrough)
        {
            Verdict = verdict;
            Reason = reason;
            Height = height;
            ChainSequence = chainSequence;
            Released = released;
            ReleasedThrough = releasedThrough;
        }

        /// <summary>Valid when every part of the message verified; otherwise the first refusal (nothing was changed).</summary>
        public LightClientVerdict Verdict { get; }

        public string Reason { get; }

        /// <summary>The message's block height (0 when its header did not decode).</summary>
        public long Height { get; }

        /// <summary>The last sequence the verified state entry shows for this meter (0 when not verified).</summary>
        public long ChainSequence { get; }

        /// <summary>Whether readings left the queue because of this message.</summary>
        public bool Released { get; }

        public long ReleasedThrough { get; }

        public bool IsValid => Verdict == LightClientVerdict.Valid;

        /// <summary>One line for a device's console: what was verified or refused, at which height, and what is released.</summary>
        public override string ToString() =>
            (IsValid ? "verified at height " + Height + " (chain sequence " + ChainSequence + ")" : "refused (" + Verdict.ToString() + ") at height " + Height)
            + ": " + Reason + "; released through " + ReleasedThrough;
    }
}
