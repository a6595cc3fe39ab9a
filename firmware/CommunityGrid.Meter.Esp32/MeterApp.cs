using System;
using System.Threading;
using CommunityGrid.Meter.Configuration;
using CommunityGrid.Meter.Display;
using CommunityGrid.Meter.Energy;
using CommunityGrid.Meter.Esp32.Adapters;
using CommunityGrid.Meter.Esp32.Display;
using CommunityGrid.Meter.Esp32.Metering;
using CommunityGrid.Meter.Esp32.Network;
using CommunityGrid.Meter.Esp32.Setup;
using CommunityGrid.Meter.Intervals;
using CommunityGrid.Meter.Keys;
using CommunityGrid.Meter.LightClient;
using CommunityGrid.Meter.Messaging;
using CommunityGrid.Meter.Queue;
using CommunityGrid.Protocol.Bytes;
using CommunityGrid.Protocol.Crypto;
using nanoFramework.Hardware.Esp32;

namespace CommunityGrid.Meter.Esp32
{
    /// <summary>
    /// Wires the portable core to the ESP32 and runs the loop of docs/meter.md ("The main loop"): sample every second,
    /// close intervals into signed readings, queue them on flash, publish, apply acknowledgements, draw the LCD.
    /// </summary>
    internal sealed class MeterApp
    {
        public const string FirmwareVersion = "esp32-1.0.0";
        private const long SampleEveryMs = 1_000;
        /// <summary>Longest pause the integrator bridges by holding the last power: signing a reading stalls the loop for seconds.</summary>
        private const long MaxGapMs = 120_000;

        private readonly FlashFileStore _store = new FlashFileStore();
        private readonly MeterDisplayState _state = new MeterDisplayState();
        private LcdScreen? _lcd;
        private byte[]? _caCert;

        public void Run()
        {
            MeterConfig config = LoadConfigOrWait();
            // The CONFIG ERROR screen (if any) is kept when it is the configured one; lcd.address = 0 means none.
            if (config.LcdAddress == 0) _lcd = null;
            else if (_lcd == null || !_lcd.Fits(config.LcdAddress, config.LcdColumns, config.LcdRows)) _lcd = new LcdScreen(config.LcdAddress, config.LcdColumns, config.LcdRows);
            Show("CommunityGrid", "Wi-Fi...");
            // Before the key: the radio must be on for esp_random() to be true random (HardwareEntropy).
            WifiLink.Connect(config.WifiSsid, config.WifiPassword, 60_000);

            // A damaged key throws DeviceKeyDamagedException: Program stops the meter with its message.
            var keys = new DeviceKeyStore(_store, new HardwareEntropy());
            byte[] seed = keys.LoadOrCreate();
            if (keys.Repaired != null) Console.WriteLine("device key copy repaired: " + keys.Repaired);
            string publicKey = Hex.Encode(Ed25519.PublicKeyFromSeed(seed));
            Console.WriteLine("CGRID METER " + config.MeterId + " PUBLIC KEY " + publicKey + (keys.Created ? " (new)" : ""));
            ShowKey(publicKey);

            var queue = new ReadingQueue(_store, new QueueOptions());
            queue.Open();
            for (int i = 0; i < queue.DamageCount; i++) Console.WriteLine("queue recovery: " + queue.GetDamage(i).ToString());
            var recent = new RecentIntervals(_store); // sequence -> interval for the last-acknowledged page, kept across reboots
            recent.Load();
            if (recent.Problem != null) Console.WriteLine("recent intervals: " + recent.Problem);

            var checkpoint = new EnergyCheckpoint(_store);
            checkpoint.Restore(queue);
            if (checkpoint.Problem != null) Console.WriteLine("energy checkpoint: " + checkpoint.Problem);
            var energy = new MeterEnergy(MaxGapMs, checkpoint.ImportWh, checkpoint.ExportWh, checkpoint.PvWh);
            var today = new TodayEnergy(_store, TodayEnergy.DefaultName, config.TimeZone); // "today" from local midnight
            var channels = new ChannelFactory(config);
            PowerChannel grid = channels.Create(config.Grid, energy.Grid) ?? throw new InvalidOperationException("MeterConfig lets no grid.source = none through");
            PowerChannel? pv = channels.Create(config.Pv, energy.Pv);

            var builder = new ReadingBuilder(config.ChainId, config.MeterId, config.IntervalSeconds, FirmwareVersion);
            var recorder = new IntervalRecorder(builder, new SequenceStore(_store), new CoseReadingSigner(seed), queue, new ChainMoveStore(_store));
            recorder.Start(); // a move made before the reboot comes back with it (docs/breakaway.md §5)
            var downlink = new GatewayDownlink(config.ChainId, config.MeterId, new TrustedSigners(config.GatewayKeys), queue, _state, _store);
            downlink.Load(); // the newest rejection, so the LCD never calls a rejected reading acknowledged
            MeterLightClient? proofs = MeterLightClient.Start(config, Ed25519.PublicKeyFromSeed(seed), recorder.NextSequence - 1, queue, _state, _store, downlink);
            if (proofs?.RestoreProblem != null) Console.WriteLine("light client: " + proofs.RestoreProblem);
            if (proofs != null) Console.WriteLine("LIGHT CLIENT: " + proofs.Verifier.TrustedSet.Count + " validators, verified height " + proofs.Verifier.LatestVerifiedHeight);
            var gateway = new GatewayLink(config, seed, downlink, _caCert,
                new MoveFollower(builder, recorder, queue, new TrustedSigners(config.GatewayKeys, config.InstallerKeys)), proofs);
            HomeAssistantLink? homeAssistant = config.HomeAssistant.Enabled ? new HomeAssistantLink(config.HomeAssistant, config.MeterId, FirmwareVersion) : null;
            _state.CurrencyCode = config.CurrencyCode;
            _state.CurrencyDecimals = config.CurrencyDecimals;
            _state.TimeZone = config.TimeZone;

            long lastSampleMs = -SampleEveryMs;
            long checkpointedThrough = queue.HighestSequence; // readings queued before boot are the checkpoint's floor (Restore)
            while (true)
            {
                long now = NowMs();
                if (now - lastSampleMs >= SampleEveryMs)
                {
                    lastSampleMs = now;
                    try
                    {
                        grid.Sample(now);
                        pv?.Sample(now);
                        long pvWh = pv == null ? 0 : pv.PositiveWh;
                        long unix = UnixSeconds();
                        bool ready = grid.HasRegisters && (pv == null || pv.HasRegisters) && unix > 1_700_000_000;
                        SignedInterval? made = ready ? recorder.Poll(unix, grid.PositiveWh, grid.NegativeWh, pvWh) : null;
                        if (made != null) recent.Remember(made.Sequence, made.Reading.IntervalStart);
                        if (made != null) homeAssistant?.Feed.Reading(made.Reading.IntervalStart + config.IntervalSeconds, made.Reading.ImportWh, made.Reading.ExportWh, made.Reading.PvWh);
                        // Forced after a reading was queued (also by a poll that threw after the append), before it can be
                        // published: the checkpoint is then never below a sent reading.
                        checkpoint.Save(now, grid.PositiveWh, grid.NegativeWh, pvWh, queue.HighestSequence > checkpointedThrough);
                        checkpointedThrough = queue.HighestSequence;
                        // A queued reading whose sequence commit failed must not leave before the retry succeeds.
                        if (!recorder.CommitPending) gateway.Service(now, queue, recorder.NextSequence - 1);
                        homeAssistant?.Service(now, _state);
                        if (ready) today.Update(unix, grid.PositiveWh, grid.NegativeWh, pvWh);
                        _state.PvPowerW = pv == null ? 0 : pv.PowerW;
                        _state.GridPowerW = grid.PowerW;
                        _state.TodayImportWh = today.ImportWh;
                        _state.TodayExportWh = today.ExportWh;
                        _state.TodayPvWh = today.PvWh;
                        _state.WifiConnected = WifiLink.IsConnected;
                        _state.MqttConnected = gateway.IsConnected;
                        _state.QueueLength = queue.Count;
                        _state.QueueDropped = queue.DroppedCount;
                        _state.LastAcknowledgedSequence = queue.LastAcknowledged;
                        _state.LastAcknowledgedIntervalStart = recent.IntervalOf(queue.LastAcknowledged);
                        if (!grid.Healthy) Console.WriteLine("grid: " + grid.Status);
                        if (pv != null && !pv.Healthy) Console.WriteLine("pv: " + pv.Status);
                    }
                    catch (Exception ex)
                    {
                        // Storage or protocol trouble in one round must not stop the meter; the next round tries again.
                        Console.WriteLine("meter loop: " + ex.Message);
                    }
                }
                _lcd?.Tick(now, _state);
                Thread.Sleep(200);
            }
        }

        private MeterConfig LoadConfigOrWait()
        {
            while (true)
            {
                try
                {
                    MeterConfig config = MeterConfig.Load(_store); // the CA's PEM gets the zero byte X509Certificate needs:
                    _caCert = config.MqttCaFile.Length == 0 ? null : CaCertificateFile.Load(_store, config.MqttCaFile);
                    return config;
                }
                catch (Exception ex)
                {
                    Console.WriteLine("CONFIG ERROR: " + ex.Message);
                    if (_lcd == null) _lcd = new LcdScreen(0x27, 16, 2);
                    Show("CONFIG ERROR", ex.Message);
                    Thread.Sleep(30_000);
                }
            }
        }

        /// <summary>The 64 hex digits of the public key, a screenful at a time, for the installer to enrol.</summary>
        private void ShowKey(string publicKey)
        {
            if (_lcd == null) return;
            int perRow = _lcd.Columns;
            for (int start = 0; start < publicKey.Length; start += perRow)
            {
                Show("Key " + (start / perRow + 1) + "/" + ((publicKey.Length + perRow - 1) / perRow),
                    publicKey.Substring(start, publicKey.Length - start < perRow ? publicKey.Length - start : perRow));
                Thread.Sleep(4_000);
            }
        }

        private void Show(string first, string second) => _lcd?.ShowText(new string[] { first, second });

        /// <summary>Milliseconds since boot from the ESP32's 64-bit µs timer: monotonic, unlike the SNTP-set clock.</summary>
        private static long NowMs() => (long)(HighResTimer.GetCurrent() / 1000);

        private static long UnixSeconds() => DateTime.UtcNow.Ticks / TimeSpan.TicksPerSecond - 62_135_596_800L;
    }
}
