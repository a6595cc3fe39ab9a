namespace CommunityGrid.Meter.LightClient
{
    /// <summary>A verdict with a sentence saying what was wrong (for the log and the LCD), and the header when a block verified.</summary>
    public sealed class LightClientResult
    {
        internal LightClientResult(LightClientVerdict verdict, string reason, LightHeader? header)
        {
            Verdict = verdict;
            Reason = reason;
            Header = header;
        }

        public LightClientVerdict Verdict { get; }
        public string Reason { get; }

        /// <summary>The verified header (only when <see cref="IsValid"/> after a block verification).</summary>
        public LightHeader? Header { get; }

        public bool IsValid => Verdict == LightClientVerdict.Valid;

        internal static LightClientResult Fail(LightClientVerdict verdict, string reason) => new LightClientResult(verdict, reason, null);
    }
}
