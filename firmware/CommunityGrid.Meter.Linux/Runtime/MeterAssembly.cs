using System;
using CommunityGrid.Meter.Intervals;
using CommunityGrid.Meter.Linux.Config;
using CommunityGrid.Meter.Linux.Display;
using CommunityGrid.Meter.Linux.Logging;
using CommunityGrid.Meter.Linux.Mqtt;
using CommunityGrid.Meter.Linux.Sensors;
using CommunityGrid.Meter.Linux.Storage;
using CommunityGrid.Meter.Linux.Timing;
using CommunityGrid.Meter.Messaging;
using CommunityGrid.Meter.Queue;
using CommunityGrid.Protocol.Crypto;
using CommunityGrid.Protocol.Readings;

namespace CommunityGrid.Meter.Linux.Runtime
{
    /// <summary>Builds a meter from its settings: recovers the files in the data directory, opens the sensor, the LCD and the MQTT link.</summary>
    public static class MeterAssembly
    {
        public const string FirmwareVersion = "cgrid-meter-linux/0.1";

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
            var producer = new ReadingProducer(builder, new SequenceStore(files), new CoseReadingSigner(seed), queue);
            producer.Start();

            var registers = new RegisterStore(files);
            long[] saved = registers.Load();
            if (registers.Problem is not null) Log.Warn("registers.recovered_damage", ("detail", registers.Problem));
            MeterReading? newest = producer.NewestQueued;
            // Never below a reading already signed, even if the register file was lost.
            long importWh = Math.Max(saved[0], newest?.ImportWh ?? 0);
            long exportWh = Math.Max(saved[1], newest?.ExportWh ?? 0);
            long pvWh = Math.Max(saved[2], newest?.PvWh ?? 0);
            IEnergySource source = OpenSource(settings, command.Simulate, importWh, exportWh, pvWh);

            LcdOutput? lcd = settings.Lcd.Enabled ? new LcdOutput(settings.Lcd.I2cBus, settings.Lcd.Address, settings.Lcd.Columns, settings.Lcd.Rows) : null;
            var link = new MqttLink(settings.Broker, "cgrid-meter-" + settings.MeterId, MqttCredentials.Username(settings.MeterId),
                MqttCredentials.Password(settings.ChainId, settings.MeterId, seed),
                new[] { MqttTopics.Acks(settings.ChainId, settings.MeterId), MqttTopics.Display(settings.ChainId, settings.MeterId) });

            Log.Info("meter.started", ("meter", settings.MeterId), ("chain", settings.ChainId), ("public_key", Convert.ToHexStringLower(Ed25519.PublicKeyFromSeed(seed))),
                ("interval_s", settings.IntervalSeconds), ("sensor", command.Simulate ? "simulated" : settings.Sensor.Kind.ToString().ToLowerInvariant()),
                ("time_scale", clock.Scale), ("virtual_start", command.Simulate ? DateTimeOffset.FromUnixTimeMilliseconds(clock.UnixMilliseconds).ToString("O") : null),
                ("next_seq", producer.NextSequence), ("queue", queue.Count), ("released_through", queue.ReleasedThrough), ("lcd", settings.Lcd.Enabled));
            return new MeterParts(settings, clock, source, queue, producer, registers, link, new TrustedSigners(settings.GatewayPublicKeys), lcd);
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
