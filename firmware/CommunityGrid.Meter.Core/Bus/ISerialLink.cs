namespace CommunityGrid.Meter.Bus
{
    /// <summary>
    /// A half-duplex serial line (RS-485) as the Modbus master sees it. Silence is normal on a Modbus
    /// line (a slave that is off, a wrong address), so a read that times out returns 0 instead of throwing.
    /// </summary>
    public interface ISerialLink
    {
        /// <summary>Sends the bytes; returns once they are handed to the transmitter.</summary>
        void Write(byte[] buffer, int offset, int count);

        /// <summary>
        /// Waits up to <paramref name="timeoutMs"/> for data and returns as soon as at least one byte has
        /// arrived, with up to <paramref name="count"/> bytes copied into <paramref name="buffer"/>.
        /// </summary>
        /// <returns>the number of bytes read; 0 when nothing arrived within the timeout.</returns>
        int Read(byte[] buffer, int offset, int count, int timeoutMs);
    }
}
