using System;

namespace CommunityGrid.Meter.Time
{
    /// <summary>
    /// A time zone as a POSIX TZ rule string (POSIX.1-2017 §8.3 "TZ", as in the last line of a TZif file, RFC 8536 §3.3),
    /// e.g. <c>CET-1CEST,M3.5.0,M10.5.0/3</c>: the meter has no time-zone database, and the rule is all the LCD needs to
    /// show local time and start "today" at local midnight. Integers only; nothing here reads a clock.
    /// </summary>
    /// <remarks>
    /// Form: <c>std offset [dst [offset] ,start[/time],end[/time]]</c>. Names are 3+ letters or <c>&lt;...&gt;</c>
    /// (letters, digits, '+', '-'). Offsets are <c>[+|-]hh[:mm[:ss]]</c> WEST of Greenwich (CET is -1); the DST offset
    /// defaults to one hour east of standard time. Dates: <c>Jn</c> (1..365, February 29 never counted), <c>n</c> (0..365,
    /// counted), <c>Mm.w.d</c> (month, week 1..5 with 5 = last, weekday 0 = Sunday). Times default to 02:00, may be
    /// negative or beyond 24 h (RFC 8536: -167..167 h), and are local time: standard time for the start, daylight time for
    /// the end. A DST name without a rule is refused (the POSIX default rule is implementation-defined).
    /// </remarks>
    public sealed class PosixTimeZone
    {
        private const int SecondsPerDay = 86_400;

        private readonly int _stdOffsetEast;
        private readonly int _dstOffsetEast;
        private readonly bool _hasDst;
        private readonly TransitionDate _start;
        private readonly TransitionDate _end;

        private PosixTimeZone(string rule, string standardName, int stdOffsetEast, string? daylightName, int dstOffsetEast, TransitionDate start, TransitionDate end)
        {
            Rule = rule;
            StandardName = standardName;
            DaylightName = daylightName ?? standardName;
            _stdOffsetEast = stdOffsetEast;
            _dstOffsetEast = dstOffsetEast;
            _hasDst = daylightName != null;
            _start = start;
            _end = end;
        }

        public static readonly PosixTimeZone Utc = Parse("UTC0");

        public string Rule { get; }

        public string StandardName { get; }

        /// <summary>The standard name when the zone has no daylight time.</summary>
        public string DaylightName { get; }

        public bool IsUtc => !_hasDst && _stdOffsetEast == 0;

        /// <exception cref="FormatException">the text is not a POSIX TZ rule; the message says what is wrong.</exception>
        public static PosixTimeZone Parse(string rule)
        {
            ArgumentNullException.ThrowIfNull(rule);
            if (rule.IndexOf('/') > 0 && rule.IndexOf(',') < 0)
            {
                throw new FormatException("time zone '" + rule + "' is a zone name, and the meter has no zone database; write the zone's POSIX TZ rule "
                    + "instead, e.g. CET-1CEST,M3.5.0,M10.5.0/3 for Europe/Berlin (the last line of its file under /usr/share/zoneinfo)");
            }
            var reader = new RuleReader(rule);
            string std = reader.Name("standard time name");
            if (reader.AtEnd) throw reader.Error("the UTC offset after " + std + " is missing (e.g. CET-1: one hour east of UTC)");
            int stdWest = reader.Time("standard time offset", 24);
            if (reader.AtEnd) return new PosixTimeZone(rule, std, -stdWest, null, 0, null!, null!);
            string dst = reader.Name("daylight time name");
            int dstWest = stdWest - 3600;
            if (!reader.AtEnd && reader.Peek != ',') dstWest = reader.Time("daylight time offset", 24);
            if (reader.AtEnd) throw reader.Error("no rule for when " + dst + " starts and ends; add it, e.g. ,M3.5.0,M10.5.0/3");
            reader.Expect(',');
            TransitionDate start = reader.Transition("start of daylight time");
            reader.Expect(',');
            TransitionDate end = reader.Transition("end of daylight time");
            if (!reader.AtEnd) throw reader.Error("unexpected text after the end rule");
            return new PosixTimeZone(rule, std, -stdWest, dst, -dstWest, start, end);
        }

        /// <summary>Seconds to add to UTC for local time at that instant.</summary>
        public int OffsetAt(long utcSeconds) => IsDaylightAt(utcSeconds) ? _dstOffsetEast : _stdOffsetEast;

        public long ToLocal(long utcSeconds) => utcSeconds + OffsetAt(utcSeconds);

        public string NameAt(long utcSeconds) => IsDaylightAt(utcSeconds) ? DaylightName : StandardName;

        public bool IsDaylightAt(long utcSeconds)
        {
            if (!_hasDst) return false;
            long year = CivilDate.YearOf(FloorDiv(utcSeconds + _stdOffsetEast, SecondsPerDay));
            long start = _start.LocalSecondsIn(year) - _stdOffsetEast;
            long end = _end.LocalSecondsIn(year) - _dstOffsetEast;
            // Northern rules start before they end within a year; southern ones (e.g. Australia) wrap the new year.
            return start < end ? utcSeconds >= start && utcSeconds < end : utcSeconds >= start || utcSeconds < end;
        }

        /// <summary>Days since 1970-01-01 of the local date at that instant.</summary>
        public long LocalDay(long utcSeconds) => FloorDiv(ToLocal(utcSeconds), SecondsPerDay);

        internal static long FloorDiv(long a, long b) => a >= 0 ? a / b : -((-a + b - 1) / b);

        /// <summary>One of the three POSIX date forms plus a local time of day.</summary>
        internal sealed class TransitionDate
        {
            private readonly char _form; // 'J', 'n' or 'M'
            private readonly int _a, _b, _c; // J/n: day; M: month, week, weekday
            private readonly int _timeSeconds;

            public TransitionDate(char form, int a, int b, int c, int timeSeconds)
            {
                _form = form;
                _a = a;
                _b = b;
                _c = c;
                _timeSeconds = timeSeconds;
            }

            /// <summary>The transition as local seconds since 1970 in the given year.</summary>
            public long LocalSecondsIn(long year)
            {
                long day;
                if (_form == 'J') day = CivilDate.DaysFromCivil(year, 1, 1) + _a - 1 + (CivilDate.IsLeap(year) && _a >= 60 ? 1 : 0);
                else if (_form == 'n') day = CivilDate.DaysFromCivil(year, 1, 1) + _a;
                else
                {
                    long first = CivilDate.DaysFromCivil(year, _a, 1);
                    long firstWeekday = (first % 7 + 11) % 7; // 1970-01-01 was a Thursday (4)
                    day = first + (_c - firstWeekday + 7) % 7 + 7L * (_b - 1);
                    long daysInMonth = CivilDate.DaysFromCivil(_a == 12 ? year + 1 : year, _a == 12 ? 1 : _a + 1, 1) - first;
                    while (day >= first + daysInMonth) day -= 7; // week 5: the last such weekday
                }
                return day * SecondsPerDay + _timeSeconds;
            }
        }
    }
}
