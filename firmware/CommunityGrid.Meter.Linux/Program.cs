using System;
using System.Runtime.InteropServices;
using System.Threading;
using System.Threading.Tasks;
using CommunityGrid.Meter.Linux.Config;
using CommunityGrid.Meter.Messaging;
using CommunityGrid.Meter.Linux.Logging;
using CommunityGrid.Meter.Linux.Runtime;
using CommunityGrid.Meter.Storage;

namespace CommunityGrid.Meter.Linux
{
    /// <summary>Entry point of cgrid-meter. Exit codes: 0 stopped on request, 2 bad usage or configuration, 3 start-up failed.</summary>
    public static class Program
    {
        public static async Task<int> Main(string[] args)
        {
            // Asking for help or the version is not a usage error: print and exit 0, like cgrid.
            if (args.Length == 1 && (args[0] == "--help" || args[0] == "-h"))
            {
                Console.WriteLine("cgrid-meter: the CommunityGrid meter on a Linux board (docs/meter-linux.md)\n" + CommandLine.Usage);
                return 0;
            }
            if (args.Length == 1 && args[0] == "--version")
            {
                Console.WriteLine(typeof(Program).Assembly.GetCustomAttributes(typeof(System.Reflection.AssemblyInformationalVersionAttribute), false) is [System.Reflection.AssemblyInformationalVersionAttribute version, ..]
                    ? version.InformationalVersion : "unknown");
                return 0;
            }
            MeterParts parts;
            try
            {
                CommandLine command = CommandLine.Parse(args);
                MeterSettings settings = MeterSettings.Load(command.ConfigPath);
                if (command.PrintMqttPassword)
                {
                    // For an external broker's password file (docs/operations.md): only the meter's key can make it.
                    Console.WriteLine(MqttCredentials.Password(settings.ChainId, settings.MeterId, MeterKeyFile.ReadSeed(settings.KeyFile)));
                    return 0;
                }
                parts = MeterAssembly.Build(settings, command);
            }
            catch (ConfigException e)
            {
                Console.Error.WriteLine("cgrid-meter: " + e.Message);
                return 2;
            }
            catch (Exception e) when (e is StorageException || e is System.IO.IOException || e is UnauthorizedAccessException)
            {
                Console.Error.WriteLine("cgrid-meter: cannot start: " + e.Message);
                return 3;
            }

            using var stop = new CancellationTokenSource();
            // SIGTERM (systemd, docker, kill) and Ctrl-C both end the loop after the current tick, registers saved.
            using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
            {
                context.Cancel = true;
                RequestStop(stop);
            });
            Console.CancelKeyPress += (_, e) =>
            {
                e.Cancel = true;
                RequestStop(stop);
            };

            Task connection = parts.Link.RunAsync(stop.Token);
            Task homeAssistant = parts.HomeAssistant?.RunAsync(stop.Token) ?? Task.CompletedTask;
            await StopQuietly(new MeterLoop(parts).RunAsync(stop.Token), stop.Token);
            await StopQuietly(connection, stop.Token);
            await StopQuietly(homeAssistant, stop.Token);
            if (parts.HomeAssistant is not null) await parts.HomeAssistant.DisposeAsync();
            await parts.Link.DisposeAsync();
            parts.Source.Dispose();
            parts.Lcd?.Dispose();
            Log.Info("meter.stopped", ("queue", parts.Queue.Count), ("next_seq", parts.Recorder.NextSequence));
            return 0;
        }

        /// <summary>
        /// Cancel runs the token's callbacks on the signal's thread; one that throws (a library's cleanup) would otherwise
        /// take the process down there, and the parts see the stop anyway.
        /// </summary>
        private static void RequestStop(CancellationTokenSource stop)
        {
            try
            {
                stop.Cancel();
            }
            catch (AggregateException e)
            {
                Log.Warn("meter.stop_callback_failed", ("error", e.InnerException?.Message ?? e.Message));
            }
        }

        /// <summary>Awaits a part that ends on <paramref name="stop"/>; a cancellation it surfaces while stopping is the stop itself.</summary>
        private static async Task StopQuietly(Task part, CancellationToken stop)
        {
            try
            {
                await part;
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
            }
        }
    }
}
