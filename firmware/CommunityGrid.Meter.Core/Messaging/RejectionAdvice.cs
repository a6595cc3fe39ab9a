namespace CommunityGrid.Meter.Messaging
{
    /// <summary>
    /// What an installer should do about a reading the chain rejected, from the reason's code (the text before ':' in
    /// the ack's reason, docs/chain.md §4). Shown next to the reason in the logs, so a rejection is never silent.
    /// </summary>
    public static class RejectionAdvice
    {
        /// <returns>Advice for the codes a meter can cause, or null for others.</returns>
        public static string? For(string? reason)
        {
            if (reason == null) return null;
            int colon = reason.IndexOf(':');
            string code = (colon < 0 ? reason : reason.Substring(0, colon)).Trim();
            // Plain comparisons, not a string switch: the compiler lowers that to s[i] dispatch, which the nano check refuses.
            if (code == "FutureInterval")
            {
                return "the meter's clock is ahead of the gateway's: check the meter's time sync; a simulated meter must not run ahead of real time";
            }
            if (code == "StaleInterval") return "the reading is older than the chain keeps: the meter was offline too long or its clock is behind";
            if (code == "DecreasingRegister")
            {
                return "the meter's registers are below what the chain holds (the enrolment's initial registers or an earlier reading): "
                    + "enrol with the registers the meter shows, or start a simulated meter with --initial-import/--initial-export";
            }
            if (code == "UnknownMeter") return "the chain has no meter with this id: enrol it (cgrid meter enrol) with the id in the meter's configuration";
            if (code == "WrongMeterKey") return "the meter's key is not the enrolled one: enrol this key, or restore the meter's key files";
            if (code == "WrongIntervalLength") return "interval.seconds differs from the chain's settlement interval: set it to the chain's";
            if (code == "WrongChain") return "chain.id differs from the gateway's chain: set it to the chain's id";
            return null;
        }
    }
}
