namespace CommunityGrid.Formats.Readings
{
    /// <summary>
    /// A meter's statement about one settlement interval (docs/protocol.md, "MeterReading"). A plain record:
    /// <see cref="ReadingRules"/> decides validity, and <see cref="ReadingCbor"/> applies it at both edges.
    /// </summary>
    /// <param name="IntervalStart">Unix seconds UTC, a multiple of <paramref name="IntervalLengthSeconds"/>.</param>
    /// <param name="ImportWh">Cumulative import register, Wh.</param>
    /// <param name="ExportWh">Cumulative export register, Wh.</param>
    /// <param name="PvWh">Cumulative PV generation register, Wh.</param>
    public sealed record MeterReading(
        string ChainId,
        string MeterId,
        long Sequence,
        long IntervalStart,
        int IntervalLengthSeconds,
        long ImportWh,
        long ExportWh,
        long PvWh,
        string FirmwareVersion);
}
