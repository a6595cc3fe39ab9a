using System;
using System.Device.Gpio;
using System.Device.I2c;
using Iot.Device.CharacterLcd;
using Iot.Device.Pcx857x;
using CommunityGrid.Meter.Display;

namespace CommunityGrid.Meter.Linux.Display
{
    /// <summary>
    /// Shows the core's rendered LCD frames on an HD44780 16x2 or 20x4 display behind the usual PCF8574 I2C backpack
    /// (Iot.Device.Bindings: the PCF8574 as a GPIO driver, the Lcd1602/Lcd2004 binding in 4-bit mode over it).
    /// Backpack wiring: P0 RS, P1 RW, P2 E, P3 backlight, P4–P7 D4–D7.
    /// </summary>
    public sealed class LcdOutput : IDisposable
    {
        private readonly Hd44780 _lcd;
        private readonly LcdRenderer _renderer;
        private readonly PageCycler _pages = PageCycler.AllPages();
        private string[] _shown = Array.Empty<string>();

        public LcdOutput(int busId, int address, int columns, int rows)
        {
            var expander = new Pcf8574(I2cDevice.Create(new I2cConnectionSettings(busId, address)));
            var gpio = new GpioController(expander);
            int[] dataPins = { 4, 5, 6, 7 };
            _lcd = rows == 4
                ? new Lcd2004(registerSelectPin: 0, enablePin: 2, dataPins: dataPins, backlightPin: 3, backlightBrightness: 1f, readWritePin: 1, controller: gpio)
                : new Lcd1602(registerSelectPin: 0, enablePin: 2, dataPins: dataPins, backlightPin: 3, backlightBrightness: 1f, readWritePin: 1, controller: gpio);
            _lcd.Clear();
            _renderer = new LcdRenderer(columns, rows);
        }

        /// <summary>Advances the page timer and rewrites the rows that changed (the HD44780 is slow; unchanged rows are left alone).</summary>
        public void Refresh(long monotonicMs, MeterDisplayState state)
        {
            _pages.Tick(monotonicMs);
            string[] frame = _renderer.Render(_pages.Current, state);
            for (int row = 0; row < frame.Length; row++)
            {
                if (row < _shown.Length && _shown[row] == frame[row]) continue;
                _lcd.SetCursorPosition(0, row);
                _lcd.Write(frame[row]);
            }
            _shown = frame;
        }

        public void Dispose() => _lcd.Dispose();
    }
}
