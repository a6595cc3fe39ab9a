namespace CommunityGrid.Meter.Sensors
{
    /// <summary>Why a power monitor produced, or did not produce, a usable reading.</summary>
    public enum SensorStatus
    {
        Ok = 0,
        /// <summary>Initialize has not succeeded yet, so the chip's registers cannot be trusted.</summary>
        NotInitialized,
        /// <summary>An I2C transfer failed (no ACK): chip missing, wrong address, wiring or bus fault.</summary>
        BusError,
        /// <summary>The chip answered but its identity registers name another part.</summary>
        WrongDevice,
        /// <summary>The calibration register no longer holds the programmed value (the chip reset, e.g. a brown-out).</summary>
        CalibrationLost,
        /// <summary>No conversion has completed since the chip was configured, so its result registers still read zero.</summary>
        NotReady,
        /// <summary>The chip flagged a math overflow, or the shunt voltage sits at the amplifier's full scale.</summary>
        Overflow,
    }
}
