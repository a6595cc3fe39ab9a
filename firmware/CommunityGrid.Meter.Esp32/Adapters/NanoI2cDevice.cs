using System.Device.I2c;
using CommunityGrid.Meter.Bus;

namespace CommunityGrid.Meter.Esp32.Adapters
{
    /// <summary>
    /// The core's <see cref="II2cDevice"/> over nanoFramework's I2cDevice. A missing chip makes the transfer return a
    /// status (no exception), which becomes false here and a SensorStatus in the drivers.
    /// </summary>
    internal sealed class NanoI2cDevice : II2cDevice
    {
        private readonly I2cDevice _device;

        public NanoI2cDevice(int busId, int address)
        {
            _device = I2cDevice.Create(new I2cConnectionSettings(busId, address));
        }

        public bool Write(byte[] write)
        {
            // byte[] converts implicitly to SpanByte (there is no Span<T> on the 1.x line).
            I2cTransferResult result = _device.Write(write);
            return result.Status == I2cTransferStatus.FullTransfer;
        }

        public bool WriteRead(byte[] write, byte[] read)
        {
            I2cTransferResult result = _device.WriteRead(write, read);
            return result.Status == I2cTransferStatus.FullTransfer;
        }
    }
}
