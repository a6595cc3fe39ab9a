using System;
using CommunityGrid.Meter.Bus;

namespace CommunityGrid.Meter.Modbus
{
    /// <summary>
    /// Modbus RTU master for reading registers (functions 0x03 and 0x04) over an <see cref="ISerialLink"/>.
    /// Every response is checked (CRC, slave id, function, byte count) before a value leaves this class;
    /// anything else ends in a <see cref="ModbusException"/> that says what failed and what to check.
    /// Timeouts, CRC errors and mismatched frames are retried; exception responses are not.
    /// Not thread-safe: one request at a time on one line, as RTU requires.
    /// </summary>
    public sealed class ModbusRtuMaster
    {
        public const int ReadHoldingRegistersFunction = 0x03;
        public const int ReadInputRegistersFunction = 0x04;
        public const int MaxRegistersPerRead = 125;

        /// <summary>Bytes we drain before giving up on a line that never falls silent.</summary>
        private const int MaxDrainBytes = 1024;

        private readonly ISerialLink _link;
        private readonly int _responseTimeoutMs;
        private readonly int _frameCompletionTimeoutMs;
        private readonly int _silenceMs;
        private readonly int _retries;
        private readonly byte[] _request = new byte[8];
        private readonly byte[] _response = new byte[256];
        private readonly byte[] _drain = new byte[64];

        private const int Ok = 0;
        private const int FailTimeout = 1;
        private const int FailCrc = 2;
        private const int FailFrame = 3;
        private const int SlaveException = 4;

        public ModbusRtuMaster(ISerialLink link, ModbusMasterOptions options)
        {
            ArgumentNullException.ThrowIfNull(link);
            ArgumentNullException.ThrowIfNull(options);
            options.Validate();
            _link = link;
            _responseTimeoutMs = options.ResponseTimeoutMs;
            _frameCompletionTimeoutMs = options.FrameCompletionTimeoutMs;
            _silenceMs = options.SilenceMs;
            _retries = options.Retries;
        }

        /// <summary>Requests sent again after a failed attempt, over this master's life (diagnostics).</summary>
        public int RetryCount { get; private set; }

        /// <summary>Stray bytes discarded while waiting for line silence (late replies, noise).</summary>
        public int DiscardedBytes { get; private set; }

        public ushort[] ReadHoldingRegisters(int slaveId, int startAddress, int count)
        {
            return ReadRegisters(slaveId, ReadHoldingRegistersFunction, startAddress, count);
        }

        public ushort[] ReadInputRegisters(int slaveId, int startAddress, int count)
        {
            return ReadRegisters(slaveId, ReadInputRegistersFunction, startAddress, count);
        }

        /// <exception cref="ModbusException">a subclass naming the failure; no value is returned.</exception>
        public ushort[] ReadRegisters(int slaveId, int functionCode, int startAddress, int count)
        {
            if (slaveId < 1 || slaveId > 247)
            {
                throw new ArgumentOutOfRangeException(nameof(slaveId), "slave id must be 1..247 (0 is broadcast, which has no response)");
            }
            if (functionCode != ReadHoldingRegistersFunction && functionCode != ReadInputRegistersFunction)
            {
                throw new ArgumentOutOfRangeException(nameof(functionCode), "only functions 0x03 and 0x04 are supported");
            }
            if (count < 1 || count > MaxRegistersPerRead || startAddress < 0 || startAddress + count > 0x10000)
            {
                throw new ArgumentOutOfRangeException(nameof(count), "registers " + startAddress + " +" + count + " are outside 0..65535 or more than 125");
            }
            _request[0] = (byte)slaveId;
            _request[1] = (byte)functionCode;
            _request[2] = (byte)(startAddress >> 8);
            _request[3] = (byte)startAddress;
            _request[4] = (byte)(count >> 8);
            _request[5] = (byte)count;
            ModbusCrc.Append(_request, 6);

            int attempts = 0;
            int failure = FailTimeout;
            string detail = "";
            while (attempts <= _retries)
            {
                if (attempts > 0)
                {
                    RetryCount++;
                }
                attempts++;
                WaitForSilence(slaveId, functionCode, startAddress, count, attempts);
                _link.Write(_request, 0, _request.Length);
                failure = Exchange(slaveId, functionCode, count, out detail);
                if (failure == Ok)
                {
                    return DecodeRegisters(count);
                }
                if (failure == SlaveException)
                {
                    int code = _response[2];
                    throw new ModbusSlaveException(
                        Describe(slaveId, functionCode, startAddress, count) + ": slave answered exception " + code + " ("
                        + ModbusExceptionCodes.Name(code) + "): " + ModbusExceptionCodes.Hint(code),
                        slaveId, functionCode, startAddress, count, attempts, code);
                }
            }
            string message = Describe(slaveId, functionCode, startAddress, count) + ": " + detail + " (" + attempts + " attempts)";
            if (failure == FailTimeout)
            {
                throw new ModbusTimeoutException(message + ": check the slave id, baud rate/parity, A/B wiring and that the meter is powered",
                    slaveId, functionCode, startAddress, count, attempts);
            }
            if (failure == FailCrc)
            {
                throw new ModbusCrcException(message + ": check baud rate/parity, cable shielding and bus termination",
                    slaveId, functionCode, startAddress, count, attempts);
            }
            throw new ModbusFrameException(message + ": check for duplicate slave ids or a second master on the line",
                slaveId, functionCode, startAddress, count, attempts);
        }

        private int Exchange(int slaveId, int functionCode, int count, out string detail)
        {
            int length = ReadAtLeast(0, 3, _responseTimeoutMs);
            if (length == 0)
            {
                detail = "no response within " + _responseTimeoutMs + " ms";
                return FailTimeout;
            }
            if (length < 3)
            {
                detail = "response stopped after " + length + " byte(s)";
                return FailTimeout;
            }
            int function = _response[1];
            int expected;
            if (function == (functionCode | 0x80))
            {
                expected = 5;
            }
            else if (function == functionCode)
            {
                expected = 5 + _response[2];
            }
            else
            {
                expected = _response.Length; // unknown shape: take what arrives, then judge by CRC
            }
            if (length < expected)
            {
                length += ReadAtLeast(length, expected - length, _frameCompletionTimeoutMs);
            }
            if (expected == _response.Length)
            {
                if (!ModbusCrc.IsValid(_response, length))
                {
                    detail = "response with bad CRC (" + length + " bytes)";
                    return FailCrc;
                }
                detail = "response has function 0x" + function.ToString("X2") + ", expected 0x" + functionCode.ToString("X2");
                return FailFrame;
            }
            if (length < expected)
            {
                detail = "response stopped after " + length + " of " + expected + " bytes";
                return FailTimeout;
            }
            if (!ModbusCrc.IsValid(_response, length))
            {
                detail = "response CRC mismatch";
                return FailCrc;
            }
            if (_response[0] != slaveId)
            {
                detail = "response came from slave " + _response[0];
                return FailFrame;
            }
            if (function != functionCode)
            {
                detail = "";
                return SlaveException;
            }
            if (_response[2] != 2 * count)
            {
                detail = "response carries " + _response[2] + " data bytes, expected " + (2 * count);
                return FailFrame;
            }
            detail = "";
            return Ok;
        }

        /// <summary>Reads until <paramref name="wanted"/> bytes arrived or a read times out; returns how many arrived.</summary>
        private int ReadAtLeast(int offset, int wanted, int firstTimeoutMs)
        {
            int got = 0;
            int timeout = firstTimeoutMs;
            while (got < wanted)
            {
                int n = _link.Read(_response, offset + got, wanted - got, timeout);
                if (n <= 0)
                {
                    break;
                }
                got += n;
                timeout = _frameCompletionTimeoutMs;
            }
            return got;
        }

        /// <summary>
        /// RTU frames are delimited by silence, and a late reply to an earlier attempt must not be taken
        /// as the answer to this one: drain the line until it has been quiet for the silence interval.
        /// </summary>
        private void WaitForSilence(int slaveId, int functionCode, int startAddress, int count, int attempts)
        {
            int drained = 0;
            while (true)
            {
                int n = _link.Read(_drain, 0, _drain.Length, _silenceMs);
                if (n <= 0)
                {
                    return;
                }
                drained += n;
                DiscardedBytes += n;
                if (drained > MaxDrainBytes)
                {
                    throw new ModbusFrameException(Describe(slaveId, functionCode, startAddress, count)
                        + ": the line never fell silent (" + drained + " bytes drained): another master or a noisy line?",
                        slaveId, functionCode, startAddress, count, attempts);
                }
            }
        }

        private ushort[] DecodeRegisters(int count)
        {
            ushort[] values = new ushort[count];
            for (int i = 0; i < count; i++)
            {
                values[i] = (ushort)((_response[3 + 2 * i] << 8) | _response[4 + 2 * i]);
            }
            return values;
        }

        private static string Describe(int slaveId, int functionCode, int startAddress, int count)
        {
            return "Modbus slave " + slaveId + ", function 0x" + functionCode.ToString("X2") + ", registers 0x" + startAddress.ToString("X4")
                + ".." + "0x" + (startAddress + count - 1).ToString("X4");
        }
    }
}
