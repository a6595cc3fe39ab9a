using System;
using System.Linq;
using CommunityGrid.Meter.Energy;
using CommunityGrid.Meter.Intervals;
using CommunityGrid.Meter.Linux.Config;
using CommunityGrid.Meter.Linux.Display;
using CommunityGrid.Meter.HomeAssistant;
using CommunityGrid.Meter.Linux.HomeAssistant;
using CommunityGrid.Meter.Linux.Logging;
using CommunityGrid.Meter.Linux.Mqtt;
using CommunityGrid.Meter.Linux.Sensors;
using CommunityGrid.Meter.Linux.Storage;
using CommunityGrid.Meter.Linux.Timing;
using CommunityGrid.Meter.Messaging;
using CommunityGrid.Meter.Queue;
using CommunityGrid.Protocol.Crypto;

namespace CommunityGrid.Meter.Linux.Runtime
{
    /// <summary>Builds a meter from its settings: recovers the files in the data directory, opens the sensor, the LCD and the MQTT link.</summary>
    public static class MeterAssembly
    {
        public const string FirmwareVersion = "cgrid-meter-linux/0.1";

        /// <summary>The core checkpoint's slot file under the name this runtime has always used: same format, so data directories carry over.</summary>
        public const string RegisterFileName = "registers";

        /// <summary>A disk, unlike the ESP32's flash, can afford a save every 10 s (the core's default is 5 min).</summary>
        public const long RegisterSaveEveryMs = 10_000;

        public static MeterParts Build(MeterSettings settings, CommandLine command)
        {
            byte[] seed = MeterKeyFile.ReadSeed(settings.KeyFile);
            IMeterClock clock = command.Simulate ? new ScaledClock(command.StartUnixMs ?? DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), command.TimeScale) : new SystemClock();

            var files = new DirectoryFileStore(settings.DataDirectory);
            var queue = new ReadingQueue(files, new QueueOptions());
            queue.Open();
            for (int i = 0; i < queue.DamageCount; i++) Log.Warn("queue.recovered_damage", ("detail", queue.GetDamage(i).ToString()));
            if (queue.CursorProblem is not null) Log.Warn("queue.cursor_problem", ("detail", queue.CursorProblem));

            var builder = new ReadingBuilder(settings.ChainId, settings.MeterId, settings.IntervalSeconds, FirmwareVersion);
            // The move to a new chain, if one was made, comes back with the recorder (docs/breakaway.md §5).
            var recorder = new IntervalRecorder(builder, new SequenceStore(files), new CoseReadingSigner(seed), queue, new ChainMoveStore(files));
            recorder.Start();

            // Never below the newest reading still queued (it may have been sent), even if the register file was lost.
            var registers = new EnergyCheckpoint(files, RegisterFileName, RegisterSaveEveryMs);
            registers.Restore(queue);
            if (registers.Problem is not null) Log.Warn("registers.recovered_damage", ("detail", registers.Problem));
            // A simulated meter enrolled with initial registers must not report below them (the chain's DecreasingRegister).
            long[] initial = command.Simulate && command.InitialRegisters is not null ? command.InitialRegisters : new long[3];
            IEnergySource source = OpenSource(settings, command.Simulate, Math.Max(registers.ImportWh, initial[0]), Math.Max(registers.ExportWh, initial[1]),
                Math.Max(registers.PvWh, initial[2]));

            LcdOutput? lcd = settings.Lcd.Enabled ? new LcdOutput(settings.Lcd.I2cBus, settings.Lcd.Address, settings.Lcd.Columns, settings.Lcd.Rows) : null;
            var link = new MqttLink(settings.Broker, "cgrid-meter-" + settings.MeterId, MqttCredentials.Username(settings.MeterId),
                MqttCredentials.Password(settings.ChainId, settings.MeterId, seed),
                DownlinkTopics(settings));
            // A move instruction may be signed by a gateway key or an installer key of the config (docs/protocol.md §7.5).
            var moveSigners = new TrustedSigners(settings.GatewayPublicKeys.Concat(settings.InstallerPublicKeys ?? []).ToArray());
            var move = new MoveHandler(new MoveFollower(builder, recorder, queue, moveSigners), settings, link,
                chainId => MqttCredentials.Password(chainId, settings.MeterId, seed), queue, files);

            Log.Info("meter.started", ("meter", settings.MeterId), ("chain", settings.ChainId), ("public_key", Convert.ToHexStringLower(Ed25519.PublicKeyFromSeed(seed))),
                ("interval_s", settings.IntervalSeconds), ("sensor", command.Simulate ? "simulated" : settings.Sensor.Kind.ToString().ToLowerInvariant()),
                ("time_scale", clock.Scale), ("virtual_start", command.Simulate ? DateTimeOffset.FromUnixTimeMilliseconds(command.StartUnixMs ?? clock.UnixMilliseconds).ToString("O") : null),
                ("next_seq", recorder.NextSequence), ("queue", queue.Count), ("released_through", queue.ReleasedThrough), ("lcd", settings.Lcd.Enabled),
                ("import_wh", source.Ready ? source.ImportWh : null), ("export_wh", source.Ready ? source.ExportWh : null), ("pv_wh", source.Ready ? source.PvWh : null));
            // Off unless the installer configured the household's broker (docs/meter-linux.md "Home Assistant").
            HomeAssistantPublisher? homeAssistant = settings.HomeAssistant is { } ha
                ? new HomeAssistantPublisher(ha, new HomeAssistantDiscovery(settings.MeterId, ha.DiscoveryPrefix, "cgrid-meter (Linux)", FirmwareVersion), "cgrid-meter-ha-" + settings.MeterId)
                : null;
            return new MeterParts(settings, clock, source, queue, recorder, registers, link, new TrustedSigners(settings.GatewayPublicKeys), lcd, files, homeAssistant,
                Ed25519.PublicKeyFromSeed(seed), move);
        }

        /// <summary>Acks, display data and move instructions (docs/protocol.md §7.5); and the proofs (§7.6) on a meter that verifies the chain.</summary>
        private static string[] DownlinkTopics(MeterSettings settings)
        {
            string acks = MqttTopics.Acks(settings.ChainId, settings.MeterId);
            string display = MqttTopics.Display(settings.ChainId, settings.MeterId);
            string move = MqttTopics.Move(settings.ChainId, settings.MeterId);
            return settings.LightClient is null ? new[] { acks, display, move } : new[] { acks, display, move, MqttTopics.Proofs(settings.ChainId, settings.MeterId) };
        }

        /// <summary>
        /// A meter whose newest reading is for an interval that has not even begun by its clock (typically a virtual meter
        /// that earlier ran ahead of real time) makes no reading until its clock passes that interval: say so once, loudly.
        /// </summary>
        public static void WarnIfClockBehindNewestReading(IntervalRecorder recorder, long nowUnixMs, int intervalSeconds)
        {
            long newest = recorder.LastReportedIntervalStart;
            long nowSeconds = nowUnixMs / 1000;
            if (newest < 0 || newest + intervalSeconds <= nowSeconds) return;
            Log.Warn("meter.clock_behind_newest_reading", ("newest_interval", newest), ("now", nowSeconds),
                ("resumes_at", DateTimeOffset.FromUnixTimeSeconds(newest + 2L * intervalSeconds).ToString("O")),
                ("hint", "the data directory holds a reading for a later interval than the clock shows (a virtual meter ran ahead of real time, "
                    + "or the clock was set back); no reading is made until the clock passes it. Start a simulated meter from a fresh data "
                    + "directory, or wait"));
        }

        private static IEnergySource OpenSource(MeterSettings settings, bool simulate, long importWh, long exportWh, long pvWh)
        {
            SensorSettings sensor = settings.Sensor;
            if (simulate || sensor.Kind == SensorKind.Simulated)
            {
                // Sampled at least at every boundary, so the hold limit is one interval of virtual time.
                return new IntegratingSource(new SimulatedHousehold(settings.MeterId), importWh, exportWh, pvWh, settings.IntervalSeconds * 1000L, canReplay: true);
            }
            return sensor.Kind switch
            {
                SensorKind.Ina219 or SensorKind.Ina226 => new IntegratingSource(
                    new InaProbe(sensor.Kind == SensorKind.Ina226, sensor.I2cBus, sensor.GridAddress, sensor.PvAddress, sensor.ShuntMicroohms, sensor.CurrentLsbMicroamps),
                    importWh, exportWh, pvWh, maxGapMs: 10_000, canReplay: false),
                _ => new SdmSource(sensor.Kind == SensorKind.Sdm630, sensor.SerialPort!, sensor.BaudRate, sensor.GridSlaveId, sensor.PvSlaveId),
            };
        }
    }
}
