using System;

namespace CommunityGrid.Meter.Display
{
    /// <summary>
    /// Which page the LCD shows: the next one every <see cref="DwellMilliseconds"/>, or at once on a button press,
    /// after which the chosen page stays for <see cref="HoldAfterButtonMilliseconds"/> so it can be read. Pure
    /// logic: feed it a millisecond clock through <see cref="Tick"/> and presses through <see cref="ButtonPressed"/>.
    /// </summary>
    public sealed class PageCycler
    {
        private readonly LcdPage[] _pages;
        private int _index;
        private long _shownSinceMs = -1;
        private long _showForMs;
        private bool _pressed;

        public PageCycler(LcdPage[] pages, long dwellMilliseconds, long holdAfterButtonMilliseconds)
        {
            ArgumentNullException.ThrowIfNull(pages);
            if (pages.Length == 0) throw new ArgumentException("at least one page", nameof(pages));
            if (dwellMilliseconds < 1 || holdAfterButtonMilliseconds < 1)
            {
                throw new ArgumentOutOfRangeException(nameof(dwellMilliseconds), "page times are at least 1 ms");
            }
            _pages = new LcdPage[pages.Length];
            Array.Copy(pages, _pages, pages.Length);
            DwellMilliseconds = dwellMilliseconds;
            HoldAfterButtonMilliseconds = holdAfterButtonMilliseconds;
            _showForMs = dwellMilliseconds;
        }

        /// <summary>Every page in enum order, 5 s each, 30 s after a press.</summary>
        public static PageCycler AllPages()
        {
            return new PageCycler(new[]
            {
                LcdPage.PvPower, LcdPage.GridPower, LcdPage.Today, LcdPage.Price, LcdPage.Balance, LcdPage.LastReading, LcdPage.Connectivity,
            }, 5000, 30000);
        }

        public long DwellMilliseconds { get; }

        public long HoldAfterButtonMilliseconds { get; }

        public LcdPage Current => _pages[_index];

        public int CurrentIndex => _index;

        /// <summary>True when the page changed, so the caller redraws. A clock that jumps backwards restarts the wait.</summary>
        public bool Tick(long nowMs)
        {
            if (_pressed)
            {
                _pressed = false;
                _shownSinceMs = nowMs;
                _showForMs = HoldAfterButtonMilliseconds;
                return false;
            }
            if (_shownSinceMs < 0 || nowMs < _shownSinceMs)
            {
                _shownSinceMs = nowMs;
                return false;
            }
            if (nowMs - _shownSinceMs < _showForMs) return false;
            Advance();
            _shownSinceMs = nowMs;
            _showForMs = DwellMilliseconds;
            return true;
        }

        /// <summary>Shows the next page now; its hold time starts at the next <see cref="Tick"/>.</summary>
        public void ButtonPressed()
        {
            Advance();
            _pressed = true;
        }

        private void Advance()
        {
            _index = (_index + 1) % _pages.Length;
        }
    }
}
