namespace CommunityGrid.Meter.HomeAssistant
{
    /// <summary>One sensor the meter offers Home Assistant: its object id, name, unit and classes (null: the key is left out).</summary>
    public sealed class HomeAssistantSensor
    {
        /// <summary>No suggested_display_precision in the config.</summary>
        public const int NoPrecision = -1;

        public HomeAssistantSensor(string objectId, string name, string? unit, string? deviceClass, string? stateClass, int precision)
        {
            ObjectId = objectId;
            Name = name;
            Unit = unit;
            DeviceClass = deviceClass;
            StateClass = stateClass;
            Precision = precision;
        }

        public string ObjectId { get; }

        public string Name { get; }

        public string? Unit { get; }

        public string? DeviceClass { get; }

        public string? StateClass { get; }

        /// <summary>Digits Home Assistant shows by default, or <see cref="NoPrecision"/>.</summary>
        public int Precision { get; }
    }

    /// <summary>The meter's registers (Wh) at the end of an interval ending at <see cref="UnixSeconds"/>.</summary>
    public sealed class MeterSample
    {
        public MeterSample(long unixSeconds, long importWh, long exportWh, long pvWh)
        {
            UnixSeconds = unixSeconds;
            ImportWh = importWh;
            ExportWh = exportWh;
            PvWh = pvWh;
        }

        public long UnixSeconds { get; }

        public long ImportWh { get; }

        public long ExportWh { get; }

        public long PvWh { get; }
    }

    /// <summary>A value for one state topic, as Home Assistant reads it (a plain number).</summary>
    public sealed class HomeAssistantState
    {
        public HomeAssistantState(string topic, string value)
        {
            Topic = topic;
            Value = value;
        }

        public string Topic { get; }

        public string Value { get; }
    }
}
