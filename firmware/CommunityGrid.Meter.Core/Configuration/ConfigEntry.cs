namespace CommunityGrid.Meter.Configuration
{
    /// <summary>One <c>key = value</c> line of a configuration file.</summary>
    public sealed class ConfigEntry
    {
        public ConfigEntry(string key, string value, int lineNumber)
        {
            Key = key;
            Value = value;
            LineNumber = lineNumber;
        }

        /// <summary>Lower case: keys are matched case-insensitively.</summary>
        public string Key { get; }

        /// <summary>Everything after the first '=', surrounding white space removed; may be empty.</summary>
        public string Value { get; }

        public int LineNumber { get; }
    }
}
