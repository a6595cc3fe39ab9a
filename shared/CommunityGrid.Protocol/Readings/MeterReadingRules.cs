using System;
using CommunityGrid.Protocol.Bytes;

namespace CommunityGrid.Protocol.Readings
{
    /// <summary>
    /// The value rules of a reading (docs/protocol.md, "MeterReading"), shared by the constructor and the decoder
    /// so both reject the same readings with the same words.
    /// </summary>
    public static class MeterReadingRules
    {
        public const int MaxIdBytes = 64;
        public const int MaxFirmwareVersionBytes = 32;
        public const int MinIntervalLengthSeconds = 60;
        public const int SecondsPerDay = 86400;

        /// <summary>Returns null when the fields form a valid reading, else the first problem with <paramref name="field"/> naming it.</summary>
        public static string? FindProblem(
            string? chainId,
            string? meterId,
            long sequence,
            long intervalStart,
            long intervalLengthSeconds,
            long importWh,
            long exportWh,
            long pvWh,
            string? firmwareVersion,
            out string field)
        {
            field = "ChainId";
            string? problem = TextProblem("ChainId (key 1)", chainId, MaxIdBytes, "use the chain id from the chain's configuration");
            if (problem != null) return problem;

            field = "MeterId";
            problem = TextProblem("MeterId (key 2)", meterId, MaxIdBytes, "use the meter id the meter was registered with");
            if (problem != null) return problem;

            field = "Sequence";
            if (sequence < 1)
            {
                return "Sequence (key 3) must be at least 1, got " + sequence + "; number a meter's readings 1, 2, 3, ...";
            }

            field = "IntervalLengthSeconds";
            if (intervalLengthSeconds < MinIntervalLengthSeconds || intervalLengthSeconds > SecondsPerDay || SecondsPerDay % intervalLengthSeconds != 0)
            {
                return "IntervalLengthSeconds (key 5) must be between 60 and 86400 and divide 86400 evenly (e.g. 900 for 15 minutes), got "
                    + intervalLengthSeconds + "; use the chain's settlement interval length";
            }

            field = "IntervalStart";
            if (intervalStart < 0 || intervalStart % intervalLengthSeconds != 0)
            {
                return "IntervalStart (key 4) must be a non-negative multiple of IntervalLengthSeconds (" + intervalLengthSeconds + "), got "
                    + intervalStart + "; align it to UTC: start - start % length";
            }

            field = "ImportWh";
            problem = RegisterProblem("ImportWh (key 6)", importWh);
            if (problem != null) return problem;
            field = "ExportWh";
            problem = RegisterProblem("ExportWh (key 7)", exportWh);
            if (problem != null) return problem;
            field = "PvWh";
            problem = RegisterProblem("PvWh (key 8)", pvWh);
            if (problem != null) return problem;

            field = "FirmwareVersion";
            return TextProblem("FirmwareVersion (key 9)", firmwareVersion, MaxFirmwareVersionBytes, "shorten the version string");
        }

        private static string? RegisterProblem(string name, long value)
        {
            if (value >= 0) return null;
            return name + " must be between 0 and 2^63-1 Wh, got " + value + "; registers are cumulative energy and never negative";
        }

        private static string? TextProblem(string name, string? value, int maxBytes, string advice)
        {
            if (value == null) return name + " is missing; " + advice;
            int byteCount;
            try
            {
                byteCount = Utf8.Encode(value).Length;
            }
            catch (ArgumentException e)
            {
                return name + " cannot be encoded as UTF-8 (" + e.Message + "); remove the stray surrogate character";
            }
            if (byteCount < 1 || byteCount > maxBytes)
            {
                return name + " must be 1.." + maxBytes + " UTF-8 bytes, got " + byteCount + "; " + advice;
            }
            return null;
        }
    }
}
