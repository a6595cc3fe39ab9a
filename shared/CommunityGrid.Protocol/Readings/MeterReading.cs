using System;

namespace CommunityGrid.Protocol.Readings
{
    /// <summary>
    /// One meter's signed statement about one settlement interval: its cumulative registers at the end of the
    /// interval. Immutable, and valid by construction (see <see cref="MeterReadingRules"/>), so a reading that
    /// exists can always be encoded.
    /// </summary>
    public sealed class MeterReading
    {
        /// <exception cref="ArgumentException">a field is out of range; the message names it and what to do.</exception>
        public MeterReading(
            string chainId,
            string meterId,
            long sequence,
            long intervalStart,
            int intervalLengthSeconds,
            long importWh,
            long exportWh,
            long pvWh,
            string firmwareVersion)
        {
            string field;
            string? problem = MeterReadingRules.FindProblem(
                chainId, meterId, sequence, intervalStart, intervalLengthSeconds, importWh, exportWh, pvWh, firmwareVersion, out field);
            if (problem != null) throw new ArgumentException(problem, field);
            ChainId = chainId;
            MeterId = meterId;
            Sequence = sequence;
            IntervalStart = intervalStart;
            IntervalLengthSeconds = intervalLengthSeconds;
            ImportWh = importWh;
            ExportWh = exportWh;
            PvWh = pvWh;
            FirmwareVersion = firmwareVersion;
        }

        /// <summary>The chain this reading is for; part of the signed payload, so it separates chains' domains.</summary>
        public string ChainId { get; }

        public string MeterId { get; }

        /// <summary>Per-meter counter, 1 for the first reading, one more for each next; replays repeat a number.</summary>
        public long Sequence { get; }

        /// <summary>Start of the interval, Unix seconds UTC, a multiple of <see cref="IntervalLengthSeconds"/>.</summary>
        public long IntervalStart { get; }

        public int IntervalLengthSeconds { get; }

        /// <summary>Cumulative energy imported from the grid, in Wh (like OBIS 1.8.0).</summary>
        public long ImportWh { get; }

        /// <summary>Cumulative energy exported to the grid, in Wh (like OBIS 2.8.0).</summary>
        public long ExportWh { get; }

        /// <summary>Cumulative PV generation, in Wh.</summary>
        public long PvWh { get; }

        public string FirmwareVersion { get; }

        public override string ToString()
        {
            return "MeterReading(chain " + ChainId + ", meter " + MeterId + ", #" + Sequence + ", interval " + IntervalStart
                + "+" + IntervalLengthSeconds + "s, import " + ImportWh + " Wh, export " + ExportWh + " Wh, pv " + PvWh
                + " Wh, firmware " + FirmwareVersion + ")";
        }
    }
}
