using System;
using System.IO.Ports;
using CommunityGrid.Meter.Bus;

namespace CommunityGrid.Meter.Linux.Serial
{
    /// <summary>
    /// <see cref="ISerialLink"/> over System.IO.Ports (a USB RS-485 adapter, a UART, or a pty in tests).
    /// Direction switching is left to the adapter's automatic driver-enable, as on common USB dongles.
    /// </summary>
    public sealed class SerialPortLink : ISerialLink, IDisposable
    {
        private readonly SerialPort _port;

        /// <exception cref="System.IO.IOException">the port exists but cannot be opened.</exception>
        /// <exception cref="UnauthorizedAccessException">no permission (add the user to the dialout group) or the port is in use.</exception>
        public SerialPortLink(string portName, int baudRate, Parity parity, StopBits stopBits)
        {
            ArgumentNullException.ThrowIfNull(portName);
            _port = new SerialPort(portName, baudRate, parity, 8, stopBits)
            {
                Handshake = Handshake.None,
                WriteTimeout = 1000,
            };
            _port.Open();
            _port.DiscardInBuffer();
        }

        public string PortName => _port.PortName;

        public void Write(byte[] buffer, int offset, int count)
        {
            _port.Write(buffer, offset, count);
        }

        public int Read(byte[] buffer, int offset, int count, int timeoutMs)
        {
            if (timeoutMs < 1)
            {
                throw new ArgumentOutOfRangeException(nameof(timeoutMs), "timeout must be at least 1 ms");
            }
            _port.ReadTimeout = timeoutMs;
            try
            {
                return _port.Read(buffer, offset, count);
            }
            catch (TimeoutException)
            {
                return 0; // silence is an ordinary outcome on a Modbus line
            }
        }

        public void Dispose()
        {
            _port.Dispose();
        }
    }
}
