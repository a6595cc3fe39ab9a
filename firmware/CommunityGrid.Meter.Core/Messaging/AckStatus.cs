namespace CommunityGrid.Meter.Messaging
{
    /// <summary>What the chain did with a reading (ack key 4). Every status releases the reading from the meter's queue.</summary>
    public enum AckStatus
    {
        /// <summary>Committed in block (5) at transaction index (6).</summary>
        Committed = 0,

        /// <summary>Already committed earlier (a resend); (5) and (6) say where the first copy is.</summary>
        AlreadyCommitted = 1,

        /// <summary>
        /// The chain will never accept it (reason in key 7). Released anyway: resending a reading the chain rejects
        /// forever would block every reading behind it.
        /// </summary>
        Rejected = 2,
    }
}
