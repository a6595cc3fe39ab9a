namespace CommunityGrid.Protocol.Readings
{
    /// <summary>Map keys of the reading payload (docs/protocol.md). Small unsigned integers keep the payload compact.</summary>
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

        public const int Count = 9;

        public static string FieldName(long key)
        {
            switch (key)
            {
                case ChainId: return "ChainId";
                case MeterId: return "MeterId";
                case Sequence: return "Sequence";
                case IntervalStart: return "IntervalStart";
                case IntervalLengthSeconds: return "IntervalLengthSeconds";
                case ImportWh: return "ImportWh";
                case ExportWh: return "ExportWh";
                case PvWh: return "PvWh";
                case FirmwareVersion: return "FirmwareVersion";
                default: return "key " + key;
            }
        }
    }
}
