using System.Text;

namespace CommunityGrid.Formats.Readings
{
    /// <summary>The value rules of a reading (docs/protocol.md, "MeterReading").</summary>
    public static class ReadingRules
    {
        public const int MaxIdBytes = 64;
        public const int MaxFirmwareVersionBytes = 32;
        public const int MinIntervalLengthSeconds = 60;
        public const int SecondsPerDay = 86400;

        private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

        /// <summary>Null when <paramref name="reading"/> is valid, else the first problem, naming the field and what to do.</summary>
        public static string? FindProblem(MeterReading reading)
        {
            return TextProblem("ChainId (key 1)", reading.ChainId, MaxIdBytes, "use the chain id from the chain's configuration")
                ?? TextProblem("MeterId (key 2)", reading.MeterId, MaxIdBytes, "use the meter id the meter was registered with")
                ?? (reading.Sequence < 1 ? $"Sequence (key 3) must be at least 1, got {reading.Sequence}; number a meter's readings 1, 2, 3, ..." : null)
                ?? IntervalProblem(reading.IntervalStart, reading.IntervalLengthSeconds)
                ?? RegisterProblem("ImportWh (key 6)", reading.ImportWh)
                ?? RegisterProblem("ExportWh (key 7)", reading.ExportWh)
                ?? RegisterProblem("PvWh (key 8)", reading.PvWh)
                ?? TextProblem("FirmwareVersion (key 9)", reading.FirmwareVersion, MaxFirmwareVersionBytes, "shorten the version string");
        }

        private static string? IntervalProblem(long start, long length)
        {
            if (length < MinIntervalLengthSeconds || length > SecondsPerDay || SecondsPerDay % length != 0)
            {
                return $"IntervalLengthSeconds (key 5) must be between 60 and 86400 and divide 86400 evenly (e.g. 900 for 15 minutes), got {length}; use the chain's settlement interval length";
            }
            if (start < 0 || start % length != 0)
            {
                return $"IntervalStart (key 4) must be a non-negative multiple of IntervalLengthSeconds ({length}), got {start}; align it to UTC: start - start % length";
            }
            return null;
        }

        private static string? RegisterProblem(string name, long value) =>
            value >= 0 ? null : $"{name} must be between 0 and 2^63-1 Wh, got {value}; registers are cumulative energy and never negative";

        private static string? TextProblem(string name, string? value, int maxBytes, string advice)
        {
            if (value is null) return $"{name} is missing; {advice}";
            int byteCount;
            try
            {
                byteCount = StrictUtf8.GetByteCount(value);
            }
            catch (EncoderFallbackException e)
            {
                return $"{name} cannot be encoded as UTF-8 ({e.Message}); remove the stray surrogate character";
            }
            return byteCount >= 1 && byteCount <= maxBytes ? null : $"{name} must be 1..{maxBytes} UTF-8 bytes, got {byteCount}; {advice}";
        }
    }
}
