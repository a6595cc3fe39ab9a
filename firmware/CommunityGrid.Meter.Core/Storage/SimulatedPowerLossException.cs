namespace CommunityGrid.Meter.Storage
{
    /// <summary>
    /// Thrown by <see cref="MemoryFileStore"/> when its write budget runs out: the power failed. Derives from
    /// <see cref="StorageException"/> so code under test meets it where a real device would meet an I/O error.
    /// </summary>
    public sealed class SimulatedPowerLossException : StorageException
    {
        public SimulatedPowerLossException(string message) : base(message)
        {
        }
    }
}
