using System;

namespace CommunityGrid.Meter.Meters
{
    /// <summary>A meter register arrived intact but holds no usable number (NaN, infinity, out of range).</summary>
    public sealed class MeterValueException : Exception
    {
        public MeterValueException(string message) : base(message) { }
    }
}
