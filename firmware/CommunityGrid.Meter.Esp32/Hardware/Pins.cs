using nanoFramework.Hardware.Esp32;
// The core's namespace CommunityGrid.Meter.Configuration would hide this class from code under CommunityGrid.Meter.
using PinConfiguration = nanoFramework.Hardware.Esp32.Configuration;

namespace CommunityGrid.Meter.Esp32.Hardware
{
    /// <summary>
    /// The meter's pin map on an ESP32 DevKitC (hardware/wiring.md is the installer's copy; keep the two equal).
    /// COM1 carries nanoFramework's debugger/wire protocol, so RS-485 uses COM2 (UART2) on pins that are free on both
    /// WROOM and WROVER modules (GPIO16/17 carry PSRAM on WROVER) and are not boot-strapping pins.
    /// </summary>
    internal static class Pins
    {
        public const int I2cBus = 1;
        public const int I2cSda = 21;
        public const int I2cScl = 22;

        public const string Rs485Port = "COM2";
        public const int Rs485Tx = 25;
        public const int Rs485Rx = 26;
        /// <summary>RTS of COM2, wired to the transceiver's DE and /RE: high while sending (SerialMode.RS485).</summary>
        public const int Rs485DriverEnable = 27;

        /// <summary>The DevKitC's BOOT button (active low, pulled up on the board): next LCD page.</summary>
        public const int PageButton = 0;

        /// <summary>Routes the pins to the peripherals; must run before any I2C device or serial port is opened.</summary>
        public static void Configure()
        {
            PinConfiguration.SetPinFunction(I2cSda, DeviceFunction.I2C1_DATA);
            PinConfiguration.SetPinFunction(I2cScl, DeviceFunction.I2C1_CLOCK);
            PinConfiguration.SetPinFunction(Rs485Rx, DeviceFunction.COM2_RX);
            PinConfiguration.SetPinFunction(Rs485Tx, DeviceFunction.COM2_TX);
            PinConfiguration.SetPinFunction(Rs485DriverEnable, DeviceFunction.COM2_RTS);
        }
    }
}
