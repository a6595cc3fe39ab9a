namespace CommunityGrid.Meter.Time
{
    /// <summary>Proleptic Gregorian dates as days since 1970-01-01, integers only (H. Hinnant's days_from_civil).</summary>
    internal static class CivilDate
    {
        public static bool IsLeap(long year) => year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);

        public static long DaysFromCivil(long year, int month, int day)
        {
            long y = month <= 2 ? year - 1 : year;
            long era = (y >= 0 ? y : y - 399) / 400;
            long yearOfEra = y - era * 400;
            long dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1;
            long dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear;
            return era * 146_097 + dayOfEra - 719_468;
        }

        public static long YearOf(long days)
        {
            long z = days + 719_468;
            long era = (z >= 0 ? z : z - 146_096) / 146_097;
            long dayOfEra = z - era * 146_097;
            long yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365;
            long dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100);
            long monthIndex = (5 * dayOfYear + 2) / 153;
            return yearOfEra + era * 400 + (monthIndex >= 10 ? 1 : 0);
        }
    }
}
