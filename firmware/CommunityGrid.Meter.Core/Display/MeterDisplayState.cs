using CommunityGrid.Meter.Time;

namespace CommunityGrid.Meter.Display
{
    /// <summary>
    /// Everything the LCD shows, as plain integers filled in by the app each refresh; the renderer does no I/O and
    /// no floating point. Energy in Wh, power in W, money in minor units of the community currency.
    /// </summary>
    public sealed class MeterDisplayState
    {
        public MeterDisplayState()
        {
            CurrencyCode = "EUR";
            CurrencyDecimals = 2;
            LastAcknowledgedIntervalStart = -1;
            LastRejectionReason = "";
            TimeZone = PosixTimeZone.Utc;
        }

        /// <summary>The zone interval times are shown in (the configured time.zone); UTC by default.</summary>
        public PosixTimeZone TimeZone { get; set; }

        public long PvPowerW { get; set; }

        /// <summary>Power at the connection point: positive = importing from the grid, negative = exporting.</summary>
        public long GridPowerW { get; set; }

        /// <summary>What the house uses: PV production plus grid import (minus export).</summary>
        public long HomePowerW => PvPowerW + GridPowerW;

        public long TodayImportWh { get; set; }

        public long TodayExportWh { get; set; }

        public long TodayPvWh { get; set; }

        /// <summary>False until the gateway has told the meter a price; the page then shows "--".</summary>
        public bool HasPrice { get; set; }

        /// <summary>Current internal price, minor units per kWh.</summary>
        public long PriceMinorPerKwh { get; set; }

        public bool HasBalance { get; set; }

        /// <summary>True on a meter that verifies the chain (docs/meter.md "Light client"): figures not proved are marked.</summary>
        public bool LightClientOn { get; set; }

        /// <summary>The balance was proved against a verified header that is not stale; false marks it unverified.</summary>
        public bool BalanceVerified { get; set; }

        /// <summary>The price was proved (state entry <c>price</c>) against a verified header that is not stale; false marks it unverified.</summary>
        public bool PriceVerified { get; set; }

        /// <summary>The height of the header the light client verified last, 0 when none.</summary>
        public long VerifiedHeight { get; set; }

        public long BalanceMinor { get; set; }

        /// <summary>Three ASCII letters (ISO 4217 style); the HD44780 has no currency symbols beyond "$".</summary>
        public string CurrencyCode { get; set; }

        /// <summary>Minor units per major unit as a power of ten (2 for cents), 0..6.</summary>
        public int CurrencyDecimals { get; set; }

        /// <summary>Sequence of the last reading the gateway acknowledged, 0 when none yet.</summary>
        public long LastAcknowledgedSequence { get; set; }

        /// <summary>Interval start (Unix seconds) of that reading, -1 when unknown.</summary>
        public long LastAcknowledgedIntervalStart { get; set; }

        /// <summary>Sequence of the newest reading the chain rejected, 0 when none.</summary>
        public long LastRejectedSequence { get; set; }

        /// <summary>The chain's reason for that rejection (e.g. "DecreasingRegister: ..."), "" when none.</summary>
        public string LastRejectionReason { get; set; }

        /// <summary>True when the last acknowledged reading is one the chain rejected: the LCD must not call it acked.</summary>
        public bool LastAcknowledgedWasRejected => LastRejectedSequence > 0 && LastRejectedSequence == LastAcknowledgedSequence;

        public bool WifiConnected { get; set; }

        public bool MqttConnected { get; set; }

        public int QueueLength { get; set; }

        public long QueueDropped { get; set; }
    }
}
