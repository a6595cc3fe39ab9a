namespace CommunityGrid.Meter.Queue
{
    /// <summary>A stretch of a queue log file that recovery skipped, and why.</summary>
    public sealed class QueueDamage
    {
        public QueueDamage(string fileName, int offset, int length, bool atTail, string reason)
        {
            FileName = fileName;
            Offset = offset;
            Length = length;
            AtTail = atTail;
            Reason = reason;
        }

        public string FileName { get; }

        public int Offset { get; }

        public int Length { get; }

        /// <summary>
        /// True when no valid record follows: the usual trace of a power cut during an append (a torn tail).
        /// False when valid records follow: a corrupted record in the middle of the file.
        /// </summary>
        public bool AtTail { get; }

        public string Reason { get; }

        public override string ToString()
        {
            return FileName + ": " + Length + " bytes at offset " + Offset + (AtTail ? " (torn tail)" : " (corrupt record)") + " skipped: " + Reason;
        }
    }
}
