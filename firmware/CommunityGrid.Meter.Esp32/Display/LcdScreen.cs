using System.Device.Gpio;
using System.Device.I2c;
using CommunityGrid.Meter.Display;
using CommunityGrid.Meter.Esp32.Hardware;
using Iot.Device.CharacterLcd;

namespace CommunityGrid.Meter.Esp32.Display
{
    /// <summary>
    /// The HD44780 character LCD on a PCF8574 I2C backpack (16x2 or 20x4), drawing the core's text frames: the
    /// <see cref="LcdRenderer"/> decides what each page says, the <see cref="PageCycler"/> which page is shown; the
    /// BOOT button shows the next page. The backpack's usual wiring (P0 RS, P1 RW, P2 E, P3 backlight, P4-P7 D4-D7) is
    /// what CharacterLcd's 4-bit I2C interface drives.
    /// </summary>
    internal sealed class LcdScreen
    {
        private readonly Hd44780 _lcd;
        private readonly LcdRenderer _renderer;
        private readonly PageCycler _pages = PageCycler.AllPages();
        // Opened once per boot and shared: opening the BOOT pin again (a second screen after a configuration error
        // cleared) throws for a pin already in use, and the meter stopped.
        private static GpioPin? s_button;
        private readonly string[] _shown;
        private bool _buttonWasDown;

        public LcdScreen(int address, int columns, int rows)
        {
            I2cDevice device = I2cDevice.Create(new I2cConnectionSettings(Pins.I2cBus, address));
            LcdInterface lcdInterface = LcdInterface.CreateI2c(device, false);
            _lcd = rows >= 4 ? new Lcd2004(lcdInterface) : new Lcd1602(lcdInterface);
            _lcd.BacklightOn = true;
            _renderer = new LcdRenderer(columns, rows);
            _shown = new string[rows];
            Address = address;
            if (s_button == null) s_button = new GpioController().OpenPin(Pins.PageButton, PinMode.InputPullUp);
        }

        public int Columns => _renderer.Columns;

        public bool Fits(int address, int columns, int rows) => Address == address && columns == _renderer.Columns && rows == _renderer.Rows;

        private int Address { get; }

        /// <summary>Shows fixed text (boot messages, the public key); lines longer than the display are cut.</summary>
        public void ShowText(string[] lines)
        {
            string[] frame = new string[_shown.Length];
            for (int i = 0; i < frame.Length; i++) frame[i] = TextFormat.Fit(i < lines.Length ? lines[i] : "", _renderer.Columns);
            Draw(frame);
        }

        /// <summary>Called from the main loop about once a second: button, page timer, redraw of changed lines.</summary>
        public void Tick(long nowMs, MeterDisplayState state)
        {
            bool down = s_button!.Read() == PinValue.Low;
            if (down && !_buttonWasDown) _pages.ButtonPressed();
            _buttonWasDown = down;
            _pages.Tick(nowMs);
            Draw(_renderer.Render(_pages.Current, state));
        }

        private void Draw(string[] frame)
        {
            for (int row = 0; row < frame.Length && row < _shown.Length; row++)
            {
                if (frame[row] == _shown[row]) continue;
                _lcd.SetCursorPosition(0, row);
                _lcd.Write(frame[row]);
                _shown[row] = frame[row];
            }
        }
    }
}
