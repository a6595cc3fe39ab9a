using System;
using System.Globalization;
using CommunityGrid.Meter.Linux.Config;
using CommunityGrid.Meter.Linux.Timing;

namespace CommunityGrid.Meter.Linux.Runtime
{
    /// <summary><c>cgrid-meter --config FILE [--simulate] [--time-scale N] [--start ISO-UTC] | --print-mqtt-password</c></summary>
    /// <param name="PrintMqttPassword">Print the meter's key-derived MQTT password (for an external broker's password file) and exit.</param>
    public sealed record CommandLine(string ConfigPath, bool Simulate, int TimeScale, long? StartUnixMs, bool PrintMqttPassword = false)
    {
        public const string Usage = "usage: cgrid-meter --config FILE [--simulate] [--time-scale N] [--start ISO-UTC]\n"
            + "       cgrid-meter --config FILE --print-mqtt-password";

        /// <exception cref="ConfigException">unknown option, missing value, or an option that needs --simulate.</exception>
        public static CommandLine Parse(string[] args)
        {
            string? config = null;
            bool simulate = false;
            bool printPassword = false;
            int? scale = null;
            long? start = null;
            for (int i = 0; i < args.Length; i++)
            {
                switch (args[i])
                {
                    case "--config": config = Value(args, ref i); break;
                    case "--simulate": simulate = true; break;
                    case "--print-mqtt-password": printPassword = true; break;
                    case "--time-scale":
                        string text = Value(args, ref i);
                        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int parsed) || parsed < 1 || parsed > ScaledClock.MaxScale)
                        {
                            throw new ConfigException($"--time-scale must be a whole number 1..{ScaledClock.MaxScale}, got \"{text}\"");
                        }
                        scale = parsed;
                        break;
                    case "--start":
                        string iso = Value(args, ref i);
                        if (!DateTimeOffset.TryParse(iso, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out DateTimeOffset when))
                        {
                            throw new ConfigException($"--start must be an ISO 8601 UTC time such as 2026-06-21T00:00:00Z, got \"{iso}\"");
                        }
                        start = when.ToUnixTimeMilliseconds();
                        break;
                    default: throw new ConfigException($"unknown argument \"{args[i]}\"\n{Usage}");
                }
            }
            if (config is null) throw new ConfigException("--config FILE is required\n" + Usage);
            if (!simulate && (scale is not null || start is not null))
            {
                throw new ConfigException("--time-scale and --start move virtual time, which only a simulated meter has: add --simulate");
            }
            if (printPassword && (simulate || scale is not null || start is not null))
            {
                throw new ConfigException("--print-mqtt-password prints and exits; it takes no other option than --config");
            }
            return new CommandLine(config, simulate, scale ?? 1, start, printPassword);
        }

        private static string Value(string[] args, ref int i)
        {
            if (i + 1 >= args.Length) throw new ConfigException($"{args[i]} needs a value\n{Usage}");
            return args[++i];
        }
    }
}
