using System;

namespace CommunityGrid.Meter.Display
{
    /// <summary>
    /// Renders a page as text frames for an HD44780 character LCD: exactly <see cref="Rows"/> strings of exactly
    /// <see cref="Columns"/> printable ASCII characters, ready to write row by row. Two-row displays (16x2) get the
    /// two most useful label/value lines; four-row displays (20x4) get a title and up to three lines.
    /// </summary>
    public sealed class LcdRenderer
    {
        public LcdRenderer(int columns, int rows)
        {
            if (columns < 8 || columns > 40) throw new ArgumentOutOfRangeException(nameof(columns), "HD44780 displays have 8..40 columns");
            if (rows != 2 && rows != 4) throw new ArgumentOutOfRangeException(nameof(rows), "pages are laid out for 2 or 4 rows");
            Columns = columns;
            Rows = rows;
        }

        public int Columns { get; }

        public int Rows { get; }

        public string[] Render(LcdPage page, MeterDisplayState state)
        {
            ArgumentNullException.ThrowIfNull(state);
            string[] frame = new string[Rows];
            if (Rows == 2) RenderSmall(page, state, frame);
            else RenderLarge(page, state, frame);
            return frame;
        }

        private void RenderSmall(LcdPage page, MeterDisplayState s, string[] frame)
        {
            string currency = TextFormat.CurrencyCode(s.CurrencyCode);
            switch (page)
            {
                case LcdPage.PvPower:
                    Lines(frame, "PV", Watts(s.PvPowerW), "Today", KilowattHours(s.TodayPvWh));
                    break;
                case LcdPage.GridPower:
                    Lines(frame, GridLabel(s), Watts(Magnitude(s.GridPowerW)), "Home use", Watts(s.HomePowerW));
                    break;
                case LcdPage.Today:
                    Lines(frame, "Imp", KilowattHours(s.TodayImportWh), "Exp", KilowattHours(s.TodayExportWh));
                    break;
                case LcdPage.Price:
                    Title(frame, "Price now");
                    frame[1] = TextFormat.LabelValue(currency + "/kWh", Price(s), Columns);
                    break;
                case LcdPage.Balance:
                    // A light-client meter names the verified height in the title: the 16x2 page has no third line.
                    Title(frame, s.LightClientOn ? "Balance " + VerifiedHeight(s) : "Balance");
                    frame[1] = TextFormat.LabelValue(currency, Balance(s), Columns);
                    break;
                case LcdPage.LastReading when s.LastAcknowledgedWasRejected:
                    frame[0] = TextFormat.LabelValue("Rejected", AckedSequence(s), Columns);
                    frame[1] = TextFormat.Fit(s.LastRejectionReason, Columns);
                    break;
                case LcdPage.LastReading:
                    Lines(frame, "Acked", AckedSequence(s), "Interval", AckedInterval(s, "Z", false));
                    break;
                default:
                    Lines(frame, "WiFi", UpDown(s.WifiConnected), "MQTT " + UpDown(s.MqttConnected), "Q " + TextFormat.Integer(s.QueueLength));
                    break;
            }
        }

        private void RenderLarge(LcdPage page, MeterDisplayState s, string[] frame)
        {
            string currency = TextFormat.CurrencyCode(s.CurrencyCode);
            for (int row = 1; row < 4; row++) frame[row] = TextFormat.Fit("", Columns);
            switch (page)
            {
                case LcdPage.PvPower:
                    Title(frame, "PV generation");
                    Line(frame, 1, "Now", Watts(s.PvPowerW));
                    Line(frame, 2, "Today", KilowattHours(s.TodayPvWh));
                    break;
                case LcdPage.GridPower:
                    Title(frame, "Grid connection");
                    Line(frame, 1, GridLabel(s), Watts(Magnitude(s.GridPowerW)));
                    Line(frame, 2, "Home use", Watts(s.HomePowerW));
                    Line(frame, 3, "PV", Watts(s.PvPowerW));
                    break;
                case LcdPage.Today:
                    Title(frame, "Today");
                    Line(frame, 1, "Import", KilowattHours(s.TodayImportWh));
                    Line(frame, 2, "Export", KilowattHours(s.TodayExportWh));
                    Line(frame, 3, "PV", KilowattHours(s.TodayPvWh));
                    break;
                case LcdPage.Price:
                    Title(frame, "Internal price");
                    Line(frame, 1, currency + "/kWh", Price(s));
                    break;
                case LcdPage.Balance:
                    Title(frame, "Balance");
                    Line(frame, 1, currency, Balance(s));
                    if (s.LightClientOn) Line(frame, 2, "Verified", VerifiedHeight(s));
                    break;
                case LcdPage.LastReading when s.LastAcknowledgedWasRejected:
                    Title(frame, "Reading REJECTED");
                    Line(frame, 1, "Reading", AckedSequence(s));
                    frame[2] = TextFormat.Fit(s.LastRejectionReason, Columns);
                    frame[3] = TextFormat.Fit(s.LastRejectionReason.Length > Columns ? s.LastRejectionReason.Substring(Columns) : "", Columns);
                    break;
                case LcdPage.LastReading:
                    Title(frame, "Last acknowledged");
                    Line(frame, 1, "Reading", AckedSequence(s));
                    Line(frame, 2, "Interval", AckedInterval(s, " UTC", true));
                    Line(frame, 3, "Waiting", TextFormat.Integer(s.QueueLength));
                    break;
                default:
                    Title(frame, "Network");
                    Line(frame, 1, "Wi-Fi", UpDown(s.WifiConnected));
                    Line(frame, 2, "MQTT", UpDown(s.MqttConnected));
                    if (s.QueueDropped == 0) Line(frame, 3, "Queued", TextFormat.Integer(s.QueueLength));
                    else Line(frame, 3, "Queued/dropped", TextFormat.Integer(s.QueueLength) + "/" + TextFormat.Integer(s.QueueDropped));
                    break;
            }
        }

        private void Lines(string[] frame, string label0, string value0, string label1, string value1)
        {
            frame[0] = TextFormat.LabelValue(label0, value0, Columns);
            frame[1] = TextFormat.LabelValue(label1, value1, Columns);
        }

        private void Line(string[] frame, int row, string label, string value)
        {
            frame[row] = TextFormat.LabelValue(label, value, Columns);
        }

        private void Title(string[] frame, string title)
        {
            frame[0] = TextFormat.Fit(title, Columns);
        }

        private static string GridLabel(MeterDisplayState s) => s.GridPowerW < 0 ? "Export" : "Import";

        private static long Magnitude(long value) => value < 0 ? -value : value;

        private static string Watts(long watts) => TextFormat.Integer(watts) + " W";

        private static string KilowattHours(long wattHours) => TextFormat.Fixed(wattHours, 3) + " kWh";

        /// <summary>The price is not in the committed state, so a light-client meter cannot prove it: marked "?" there (docs/meter.md).</summary>
        private static string Price(MeterDisplayState s) => s.HasPrice ? TextFormat.Fixed(s.PriceMinorPerKwh, Decimals(s)) + (s.LightClientOn && !s.PriceVerified ? "?" : "") : "--";

        private static string Balance(MeterDisplayState s) =>
            s.HasBalance ? TextFormat.Fixed(s.BalanceMinor, Decimals(s)) + (s.LightClientOn && !s.BalanceVerified ? "?" : "") : "--";

        private static string VerifiedHeight(MeterDisplayState s) => s.VerifiedHeight > 0 ? "#" + TextFormat.Integer(s.VerifiedHeight) : "none";

        private static int Decimals(MeterDisplayState s) => s.CurrencyDecimals < 0 || s.CurrencyDecimals > 6 ? 2 : s.CurrencyDecimals;

        private static string AckedSequence(MeterDisplayState s) =>
            s.LastAcknowledgedSequence > 0 ? "#" + TextFormat.Integer(s.LastAcknowledgedSequence) : "none";

        /// <summary>"14:15Z" / "14:15 UTC" without a zone; local time ("15:15" / "15:15 CET") with one.</summary>
        private static string AckedInterval(MeterDisplayState s, string utcSuffix, bool nameZone)
        {
            long start = s.LastAcknowledgedIntervalStart;
            if (start < 0) return "--";
            if (s.TimeZone.IsUtc) return TextFormat.UtcClock(start) + utcSuffix;
            return TextFormat.UtcClock(s.TimeZone.ToLocal(start)) + (nameZone ? " " + s.TimeZone.NameAt(start) : "");
        }

        private static string UpDown(bool up) => up ? "up" : "down";
    }
}
