using System;

namespace CommunityGrid.Meter.Time
{
    /// <summary>Reads the parts of a POSIX TZ rule; every error names the position and what was expected.</summary>
    internal sealed class RuleReader
    {
        private readonly string _text;
        private readonly char[] _chars;
        private int _position;

        public RuleReader(string text)
        {
            _text = text;
            _chars = text.ToCharArray();
        }

        public bool AtEnd => _position >= _chars.Length;

        public char Peek => _chars[_position];

        public FormatException Error(string problem) =>
            new FormatException("time zone '" + _text + "' at position " + (_position + 1) + ": " + problem
                + "; write a POSIX TZ rule such as CET-1CEST,M3.5.0,M10.5.0/3 (see the last line of the zone's TZif file)");

        public void Expect(char c)
        {
            if (AtEnd || _chars[_position] != c) throw Error("expected '" + c + "'");
            _position++;
        }

        /// <summary>3+ letters, or &lt;...&gt; holding 3+ letters, digits, '+' or '-'.</summary>
        public string Name(string what)
        {
            int start = _position;
            if (!AtEnd && Peek == '<')
            {
                _position++;
                while (!AtEnd && (IsLetter(Peek) || IsDigit(Peek) || Peek == '+' || Peek == '-')) _position++;
                if (AtEnd || Peek != '>' || _position - start - 1 < 3) throw Error("the " + what + " in <...> must be 3 or more letters, digits, '+' or '-'");
                _position++;
                return new string(_chars, start + 1, _position - start - 2);
            }
            while (!AtEnd && IsLetter(Peek)) _position++;
            if (_position - start < 3) throw Error("the " + what + " must be 3 or more letters (or <...>)");
            return new string(_chars, start, _position - start);
        }

        /// <summary>[+|-]hh[:mm[:ss]] in seconds, hours at most <paramref name="maxHours"/>.</summary>
        public int Time(string what, int maxHours)
        {
            int sign = 1;
            if (!AtEnd && (Peek == '+' || Peek == '-'))
            {
                if (Peek == '-') sign = -1;
                _position++;
            }
            int hours = Number(what + " hours", 0, maxHours);
            int minutes = 0, seconds = 0;
            if (!AtEnd && Peek == ':')
            {
                _position++;
                minutes = Number(what + " minutes", 0, 59);
                if (!AtEnd && Peek == ':')
                {
                    _position++;
                    seconds = Number(what + " seconds", 0, 59);
                }
            }
            return sign * (hours * 3600 + minutes * 60 + seconds);
        }

        /// <summary>Jn, n or Mm.w.d, then an optional /time (default 02:00).</summary>
        public PosixTimeZone.TransitionDate Transition(string what)
        {
            char form;
            int a, b = 0, c = 0;
            if (!AtEnd && Peek == 'J')
            {
                _position++;
                form = 'J';
                a = Number(what + " Julian day", 1, 365);
            }
            else if (!AtEnd && Peek == 'M')
            {
                _position++;
                form = 'M';
                a = Number(what + " month", 1, 12);
                Expect('.');
                b = Number(what + " week", 1, 5);
                Expect('.');
                c = Number(what + " weekday", 0, 6);
            }
            else
            {
                form = 'n';
                a = Number(what + " day", 0, 365);
            }
            int time = 7200;
            if (!AtEnd && Peek == '/')
            {
                _position++;
                time = Time(what + " time", 167);
            }
            return new PosixTimeZone.TransitionDate(form, a, b, c, time);
        }

        private int Number(string what, int min, int max)
        {
            int start = _position;
            int value = 0;
            while (!AtEnd && IsDigit(Peek) && _position - start < 3)
            {
                value = value * 10 + (Peek - '0');
                _position++;
            }
            if (_position == start) throw Error("expected the " + what);
            if (value < min || value > max) throw Error("the " + what + " must be " + min + ".." + max + ", got " + value);
            return value;
        }

        private static bool IsLetter(char c) => (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');

        private static bool IsDigit(char c) => c >= '0' && c <= '9';
    }
}
