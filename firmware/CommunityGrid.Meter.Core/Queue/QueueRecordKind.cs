namespace CommunityGrid.Meter.Queue
{
    /// <summary>What a record in a queue log file holds.</summary>
    public enum QueueRecordKind
    {
        /// <summary>A signed reading; the record's number is its sequence.</summary>
        Reading = 1,

        /// <summary>
        /// Ends a file written by compaction; the record's number is the file's generation. Its presence proves
        /// every record before it was completely written.
        /// </summary>
        Seal = 2,
    }
}
