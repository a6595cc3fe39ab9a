namespace CommunityGrid.Meter.Modbus
{
    /// <summary>Exception codes a slave returns (Modbus Application Protocol v1.1b3 §7), with what to check.</summary>
    public static class ModbusExceptionCodes
    {
        public const int IllegalFunction = 0x01;
        public const int IllegalDataAddress = 0x02;
        public const int IllegalDataValue = 0x03;
        public const int SlaveDeviceFailure = 0x04;
        public const int Acknowledge = 0x05;
        public const int SlaveDeviceBusy = 0x06;
        public const int MemoryParityError = 0x08;
        public const int GatewayPathUnavailable = 0x0A;
        public const int GatewayTargetFailedToRespond = 0x0B;

        public static string Name(int code)
        {
            switch (code)
            {
                case IllegalFunction: return "illegal function";
                case IllegalDataAddress: return "illegal data address";
                case IllegalDataValue: return "illegal data value";
                case SlaveDeviceFailure: return "slave device failure";
                case Acknowledge: return "acknowledge";
                case SlaveDeviceBusy: return "slave device busy";
                case MemoryParityError: return "memory parity error";
                case GatewayPathUnavailable: return "gateway path unavailable";
                case GatewayTargetFailedToRespond: return "gateway target device failed to respond";
                default: return "unknown exception code " + code;
            }
        }

        public static string Hint(int code)
        {
            switch (code)
            {
                case IllegalFunction: return "the device does not support this function code: check the meter model";
                case IllegalDataAddress: return "the device has no such register: check the meter model and its register map";
                case IllegalDataValue: return "the device rejected the request's count (Eastron meters want an even number of registers)";
                case SlaveDeviceBusy: return "the device is busy: the request may succeed later";
                default: return "see the device's Modbus documentation";
            }
        }
    }
}
