using System;

namespace CommunityGrid.Meter.Messaging
{
    /// <summary>A correctly shaped message signed by a key that is not one of the configured gateway/validator keys.</summary>
    public class UntrustedSignerException : Exception
    {
        public UntrustedSignerException(string problem)
            : base(problem)
        {
        }
    }
}
