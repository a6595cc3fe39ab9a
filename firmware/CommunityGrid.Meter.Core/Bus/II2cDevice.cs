namespace CommunityGrid.Meter.Bus
{
    /// <summary>
    /// One device at a fixed address on an I2C bus. Shaped like nanoFramework's I2cDevice, whose transfers
    /// report a status rather than throw: a missing or silent chip is an ordinary outcome on a meter
    /// board (loose connector, brown-out), so the drivers turn it into a reading status, not a crash.
    /// </summary>
    public interface II2cDevice
    {
        /// <returns>false when the transfer did not complete (no ACK, arbitration lost, bus error).</returns>
        bool Write(byte[] write);

        /// <summary>Writes <paramref name="write"/>, then reads exactly <paramref name="read"/>.Length bytes (repeated start).</summary>
        /// <returns>false when either part did not complete; the contents of <paramref name="read"/> are then undefined.</returns>
        bool WriteRead(byte[] write, byte[] read);
    }
}
