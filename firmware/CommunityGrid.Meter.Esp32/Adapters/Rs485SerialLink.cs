using System;
using System.IO.Ports;
using System.Threading;
using CommunityGrid.Meter.Bus;

namespace CommunityGrid.Meter.Esp32.Adapters
{
    /// <summary>
    /// The core's <see cref="ISerialLink"/> over a UART in RS-485 mode: the UART drives RTS (wired to the transceiver's
    /// DE and /RE) high while it transmits, so the half-duplex direction switch needs no code here.
    /// </summary>
    internal sealed class Rs485SerialLink : ISerialLink
    {
        private readonly SerialPort _port;

        public Rs485SerialLink(string portName, int baudRate, Parity parity, StopBits stopBits)
        {
            _port = new SerialPort(portName, baudRate, parity, 8, stopBits);
            _port.Mode = SerialMode.RS485;
            _port.ReadTimeout = 100;
            _port.Open();
        }

        public void Write(byte[] buffer, int offset, int count)
        {
            _port.Write(buffer, offset, count);
        }

        /// <summary>
        /// Polls BytesToRead in 1 ms steps rather than relying on Read's blocking rules, so it returns as soon as one
        /// byte is there; Thread.Sleep may oversleep, so the wait can be longer than asked, never shorter.
        /// </summary>
        public int Read(byte[] buffer, int offset, int count, int timeoutMs)
        {
            if (timeoutMs < 1) throw new ArgumentOutOfRangeException(nameof(timeoutMs), "timeout must be at least 1 ms");
            int waited = 0;
            while (_port.BytesToRead == 0)
            {
                if (waited >= timeoutMs) return 0;
                Thread.Sleep(1);
                waited++;
            }
            int available = _port.BytesToRead;
            return _port.Read(buffer, offset, available < count ? available : count);
        }
    }
}
