using System;

namespace CommunityGrid.Meter.Modbus
{
    /// <summary>A Modbus read failed; no value was produced. Carries which request failed.</summary>
    public class ModbusException : Exception
    {
        public ModbusException(string message, int slaveId, int functionCode, int startAddress, int count, int attempts)
            : base(message)
        {
            SlaveId = slaveId;
            FunctionCode = functionCode;
            StartAddress = startAddress;
            Count = count;
            Attempts = attempts;
        }

        public int SlaveId { get; }
        public int FunctionCode { get; }
        public int StartAddress { get; }
        public int Count { get; }

        /// <summary>How many times the request was sent before giving up.</summary>
        public int Attempts { get; }
    }

    /// <summary>No (complete) response arrived in time, on every attempt.</summary>
    public sealed class ModbusTimeoutException : ModbusException
    {
        public ModbusTimeoutException(string message, int slaveId, int functionCode, int startAddress, int count, int attempts)
            : base(message, slaveId, functionCode, startAddress, count, attempts) { }
    }

    /// <summary>The last response's CRC did not match (line noise, wrong baud rate or parity).</summary>
    public sealed class ModbusCrcException : ModbusException
    {
        public ModbusCrcException(string message, int slaveId, int functionCode, int startAddress, int count, int attempts)
            : base(message, slaveId, functionCode, startAddress, count, attempts) { }
    }

    /// <summary>The last response was well-formed on the wire but not an answer to the request (other slave, function or length).</summary>
    public sealed class ModbusFrameException : ModbusException
    {
        public ModbusFrameException(string message, int slaveId, int functionCode, int startAddress, int count, int attempts)
            : base(message, slaveId, functionCode, startAddress, count, attempts) { }
    }

    /// <summary>The slave answered with an exception response (function | 0x80, code). Never retried: it would answer the same.</summary>
    public sealed class ModbusSlaveException : ModbusException
    {
        public ModbusSlaveException(string message, int slaveId, int functionCode, int startAddress, int count, int attempts, int exceptionCode)
            : base(message, slaveId, functionCode, startAddress, count, attempts)
        {
            ExceptionCode = exceptionCode;
        }

        public int ExceptionCode { get; }

        public string ExceptionName => ModbusExceptionCodes.Name(ExceptionCode);
    }
}
