namespace CommunityGrid.Formats.Readings
{
    /// <summary>Map keys of the reading payload (docs/protocol.md).</summary>
    public static class ReadingKeys
    {
        public const int ChainId = 1;
        public const int MeterId = 2;
        public const int Sequence = 3;
        public const int IntervalStart = 4;
        public const int IntervalLengthSeconds = 5;
        public const int ImportWh = 6;
        public const int ExportWh = 7;
        public const int PvWh = 8;
        public const int FirmwareVersion = 9;

        public static string FieldName(ulong key) => key switch
        {
            ChainId => nameof(ChainId),
            MeterId => nameof(MeterId),
            Sequence => nameof(Sequence),
            IntervalStart => nameof(IntervalStart),
            IntervalLengthSeconds => nameof(IntervalLengthSeconds),
            ImportWh => nameof(ImportWh),
            ExportWh => nameof(ExportWh),
            PvWh => nameof(PvWh),
            FirmwareVersion => nameof(FirmwareVersion),
            _ => $"key {key}",
        };
    }
}
