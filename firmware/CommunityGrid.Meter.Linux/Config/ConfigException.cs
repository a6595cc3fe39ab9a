using System;

namespace CommunityGrid.Meter.Linux.Config
{
    /// <summary>The config file (or the command line) is unusable; the message names the field and what to write instead.</summary>
    public sealed class ConfigException(string message) : Exception(message);
}
