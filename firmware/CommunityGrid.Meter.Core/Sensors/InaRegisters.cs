using CommunityGrid.Meter.Bus;

namespace CommunityGrid.Meter.Sensors
{
    /// <summary>16-bit big-endian register access shared by the INA219 and INA226 (same pointer-register protocol).</summary>
    internal sealed class InaRegisters
    {
        private readonly II2cDevice _device;
        private readonly byte[] _pointer = new byte[1];
        private readonly byte[] _value = new byte[2];
        private readonly byte[] _write = new byte[3];

        public InaRegisters(II2cDevice device)
        {
            _device = device;
        }

        public bool TryRead(int register, out int value)
        {
            _pointer[0] = (byte)register;
            if (!_device.WriteRead(_pointer, _value))
            {
                value = 0;
                return false;
            }
            value = (_value[0] << 8) | _value[1];
            return true;
        }

        public bool TryWrite(int register, int value)
        {
            _write[0] = (byte)register;
            _write[1] = (byte)(value >> 8);
            _write[2] = (byte)value;
            return _device.Write(_write);
        }

        public static int ToSigned16(int value)
        {
            return (value & 0x8000) != 0 ? value - 0x10000 : value;
        }

        public static string Hex16(int value)
        {
            return "0x" + value.ToString("X4");
        }
    }
}
