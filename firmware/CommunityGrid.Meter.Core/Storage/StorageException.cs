using System;

namespace CommunityGrid.Meter.Storage
{
    /// <summary>A file operation failed; the message names the file and the operation.</summary>
    public class StorageException : Exception
    {
        public StorageException(string message) : base(message)
        {
        }

        public StorageException(string message, Exception inner) : base(message, inner)
        {
        }
    }
}
