using System;
using System.Globalization;
using CommunityGrid.Meter.Linux.Config;
using CommunityGrid.Meter.Linux.Timing;

namespace CommunityGrid.Meter.Linux.Runtime
{
    /// <summary><c>cgrid-meter --config FILE [--simulate] [--time-scale N] [--start ISO-UTC] [--initial-import WH] [--initial-export WH] [--initial-pv WH] | --print-mqtt-password</c></summary>
    /// <param name="PrintMqttPassword">Print the meter's key-derived MQTT password (for an external broker's password file) and exit.</param>
    /// <param name="InitialRegisters">A simulated meter's registers start at no less than these (import, export, PV Wh): the ones it was enrolled with.</param>
    public sealed record CommandLine(string ConfigPath, bool Simulate, int TimeScale, long? StartUnixMs, bool PrintMqttPassword = false, long[]? InitialRegisters = null)
    {
        public const string Usage = "usage: cgrid-meter --config FILE [--simulate] [--time-scale N] [--start ISO-UTC]\n"
            + "                   [--initial-import WH] [--initial-export WH] [--initial-pv WH]\n"
            + "       cgrid-meter --config FILE --print-mqtt-password";

        /// <exception cref="ConfigException">unknown option, missing value, or an option that needs --simulate.</exception>
        public static CommandLine Parse(string[] args)
        {
            string? config = null;
            bool simulate = false;
            bool printPassword = false;
            int? scale = null;
            long? start = null;
            long[]? initial = null;
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
                        if (start > DateTimeOffset.UtcNow.ToUnixTimeMilliseconds())
                        {
                            throw new ConfigException($"--start {iso} is in the future: a gateway rejects readings for intervals that have not ended (FutureInterval); start at or before now");
                        }
                        break;
                    case "--initial-import":
                    case "--initial-export":
                    case "--initial-pv":
                        string option = args[i];
                        string wh = Value(args, ref i);
                        if (!long.TryParse(wh, NumberStyles.None, CultureInfo.InvariantCulture, out long registerWh) || registerWh > MaxRegisterWh)
                        {
                            throw new ConfigException($"{option} takes a register in Wh, a whole number 0..{MaxRegisterWh}, got \"{wh}\"");
                        }
                        initial ??= new long[3];
                        initial[option == "--initial-import" ? 0 : option == "--initial-export" ? 1 : 2] = registerWh;
                        break;
                    default: throw new ConfigException($"unknown argument \"{args[i]}\"\n{Usage}");
                }
            }
            if (config is null) throw new ConfigException("--config FILE is required\n" + Usage);
            if (!simulate && (scale is not null || start is not null))
            {
                throw new ConfigException("--time-scale and --start move virtual time, which only a simulated meter has: add --simulate");
            }
            if (!simulate && initial is not null)
            {
                throw new ConfigException("--initial-import/--initial-export/--initial-pv set a simulated meter's registers; a real meter reads its own: add --simulate or drop them");
            }
            if (printPassword && (simulate || scale is not null || start is not null))
            {
                throw new ConfigException("--print-mqtt-password prints and exits; it takes no other option than --config");
            }
            return new CommandLine(config, simulate, scale ?? 1, start, printPassword, initial);
        }

        /// <summary>10^15 Wh: far beyond any meter, far below overflow when energy is added.</summary>
        public const long MaxRegisterWh = 1_000_000_000_000_000;

        private static string Value(string[] args, ref int i)
        {
            if (i + 1 >= args.Length) throw new ConfigException($"{args[i]} needs a value\n{Usage}");
            return args[++i];
        }
    }
}
