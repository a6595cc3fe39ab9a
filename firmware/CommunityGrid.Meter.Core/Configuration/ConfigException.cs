using System;

namespace CommunityGrid.Meter.Configuration
{
    /// <summary>
    /// A configuration file the meter cannot run with. The message is for the installer (it is shown on the LCD and the
    /// serial console): where, which key, what is wrong and what to do. It never contains the Wi-Fi password.
    /// </summary>
    public sealed class ConfigException : Exception
    {
        public ConfigException(int lineNumber, string key, string message)
            : base(message)
        {
            LineNumber = lineNumber;
            Key = key;
        }

        /// <summary>1-based line of the problem, 0 when it is about no single line (a missing key or file).</summary>
        public int LineNumber { get; }

        /// <summary>The key concerned, "" when the line has none.</summary>
        public string Key { get; }
    }
}
