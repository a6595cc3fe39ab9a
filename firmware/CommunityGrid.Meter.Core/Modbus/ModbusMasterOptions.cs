using System;

namespace CommunityGrid.Meter.Modbus
{
    /// <summary>Timing and retry settings of a <see cref="ModbusRtuMaster"/>.</summary>
    public sealed class ModbusMasterOptions
    {
        /// <summary>How long to wait for the first byte of a response.</summary>
        public int ResponseTimeoutMs { get; set; } = 500;

        /// <summary>
        /// How long to wait for the rest of a response once it has started. Longer than the 1.5-character
        /// limit of the RTU spec because USB adapters and OS schedulers deliver bytes in bursts.
        /// </summary>
        public int FrameCompletionTimeoutMs { get; set; } = 100;

        /// <summary>Quiet time the line must show before a request is sent (RTU: at least 3.5 characters).</summary>
        public int SilenceMs { get; set; } = 5;

        /// <summary>Extra attempts after a timeout, CRC error or mismatched frame; exception responses are never retried.</summary>
        public int Retries { get; set; } = 2;

        /// <summary>
        /// 3.5 characters of 11 bits at this baud rate, rounded up; the RTU spec fixes 1.75 ms above 19200 baud.
        /// At least 2 ms so a scheduler tick cannot shorten it to nothing.
        /// </summary>
        public static int SilenceForBaud(int baudRate)
        {
            if (baudRate <= 0)
            {
                throw new ArgumentOutOfRangeException(nameof(baudRate), "baud rate must be positive");
            }
            if (baudRate > 19200)
            {
                return 2;
            }
            int ms = (35 * 11 * 1000 + 10 * baudRate - 1) / (10 * baudRate);
            return ms < 2 ? 2 : ms;
        }

        internal void Validate()
        {
            if (ResponseTimeoutMs < 1 || FrameCompletionTimeoutMs < 1 || SilenceMs < 1)
            {
                throw new ArgumentOutOfRangeException(nameof(ResponseTimeoutMs), "timeouts and silence must be at least 1 ms");
            }
            if (Retries < 0 || Retries > 10)
            {
                throw new ArgumentOutOfRangeException(nameof(Retries), "retries must be 0..10");
            }
        }
    }
}
