using System;

namespace CommunityGrid.Meter.Keys
{
    /// <summary>
    /// The device key exists on flash but no copy of it is readable. Not recoverable by the meter: a new key is a new
    /// identity the chain does not know (re-enrolment, hardware/installer-guide.md), so the meter stops and says so.
    /// </summary>
    public sealed class DeviceKeyDamagedException : InvalidOperationException
    {
        public DeviceKeyDamagedException(string message) : base(message)
        {
        }
    }
}
