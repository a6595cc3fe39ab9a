using System;
using System.Device.I2c;
using System.IO;
using CommunityGrid.Meter.Bus;

namespace CommunityGrid.Meter.Linux.Sensors
{
    /// <summary>
    /// <see cref="II2cDevice"/> over System.Device.I2c (/dev/i2c-N). The Linux driver reports a missing ACK as an
    /// IOException; the core expects a false result for that, as nanoFramework's transfer status gives it.
    /// </summary>
    public sealed class I2cBusDevice : II2cDevice, IDisposable
    {
        private readonly I2cDevice _device;

        public I2cBusDevice(int busId, int address)
        {
            _device = I2cDevice.Create(new I2cConnectionSettings(busId, address));
        }

        public bool Write(byte[] write)
        {
            try
            {
                _device.Write(write);
                return true;
            }
            catch (IOException)
            {
                return false;
            }
        }

        public bool WriteRead(byte[] write, byte[] read)
        {
            try
            {
                _device.WriteRead(write, read);
                return true;
            }
            catch (IOException)
            {
                return false;
            }
        }

        public void Dispose() => _device.Dispose();
    }
}
