using System;
using System.Threading;
using System.Threading.Tasks;
using CommunityGrid.Meter.Display;
using CommunityGrid.Meter.Intervals;
using CommunityGrid.Meter.HomeAssistant;
using CommunityGrid.Meter.Linux.Logging;
using CommunityGrid.Meter.Linux.Timing;
using CommunityGrid.Meter.Messaging;
using CommunityGrid.Meter.Queue;
using CommunityGrid.Meter.Storage;

namespace CommunityGrid.Meter.Linux.Runtime
{
    /// <summary>
    /// The meter's one thread of work, each tick: sample up to now (interval by interval when the source can replay,
    /// as the simulation can) and poll the core's IntervalRecorder after every sample, which queues the reading of an
    /// interval that ended; apply what the gateway sent, publish what is due, save the registers, refresh the LCD. The
    /// queue is touched only here, so it needs no locking.
    /// </summary>
    public sealed class MeterLoop
    {
        private readonly MeterParts _parts;
        private string _readingsTopic;
        private readonly Outbox _outbox;
        private DownlinkHandler _downlink;
        private ProofHandler? _proofs;
        private readonly MeterDisplayState _display = new();
        private readonly int _tickMs;
        private long _cursorMs;
        private bool _registersOwed;
        private readonly DisplayFeed? _feed;
        private bool _caughtUpLogged;
        private MeterSample? _lastSample;

        public MeterLoop(MeterParts parts)
        {
            _parts = parts;
            var settings = parts.Settings;
            _readingsTopic = MqttTopics.Readings(settings.ChainId, settings.MeterId);
            _outbox = new Outbox(window: 32, resendAfterMs: settings.ResendSeconds * 1000L);
            // The currency is the config's (lcd.currency) with or without an LCD: Home Assistant shows it too.
            _display.CurrencyCode = settings.Lcd.Currency;
            _display.CurrencyDecimals = settings.Lcd.CurrencyDecimals;
            _feed = parts.Lcd is null ? null : new DisplayFeed(settings.Lcd, parts.Files, _display);
            _downlink = new DownlinkHandler(settings.ChainId, settings.MeterId, parts.GatewayKeys, parts.Queue, _display, parts.Files, settings.DataDirectory,
                lightClient: settings.LightClient is not null);
            if (settings.LightClient is { } lightClient)
            {
                _proofs = new ProofHandler(settings, lightClient, parts.MeterPublicKey!, MeterInterval, parts.Queue, _display, parts.Files);
            }
            // About four samples per (virtual) interval at the least, and never slower than 5 per real second.
            long intervalRealMs = settings.IntervalSeconds * 1000L / parts.Clock.Scale;
            _tickMs = (int)Math.Clamp(intervalRealMs / 4, 10, 200);
        }

        /// <summary>The light client's clock (docs/meter.md): intervals this meter has closed and signed, i.e. its last sequence.</summary>
        private long MeterInterval => _parts.Recorder.NextSequence - 1;

        public async Task RunAsync(CancellationToken stop)
        {
            _cursorMs = _parts.Clock.UnixMilliseconds;
            MeterAssembly.WarnIfClockBehindNewestReading(_parts.Recorder, _cursorMs, _parts.Settings.IntervalSeconds);
            _parts.Source.SampleAt(_cursorMs);
            Record(_cursorMs, crossedBoundary: false); // the recorder's first poll only notes the interval in progress
            while (!stop.IsCancellationRequested)
            {
                Advance(_parts.Clock.UnixMilliseconds, stop);
                NoteCaughtUp();
                while (_parts.Link.Received.TryDequeue(out var message))
                {
                    if (_parts.Move?.Handle(message) == true) continue;
                    if (_proofs?.Handles(message) == true) _proofs.Handle(message, MeterInterval);
                    else _downlink.Handle(message);
                }
                _proofs?.Refresh(MeterInterval);
                FollowMove();
                OfferPriceAndBalance();
                try
                {
                    // Nothing leaves before the reading's sequence commit and register save are on disk (see IntervalRecorder).
                    if (!_parts.Recorder.CommitPending && !_registersOwed) await PublishDue(stop);
                    SaveRegisters(force: _registersOwed);
                    RefreshDisplay();
                    await Task.Delay(_tickMs, stop);
                }
                catch (OperationCanceledException) when (stop.IsCancellationRequested)
                {
                    // A stop may land anywhere in the tick (issue 11, case 9); what is on disk is consistent at every await.
                    break;
                }
            }
            SaveRegisters(force: true);
        }

        /// <summary>After a move (docs/breakaway.md §5): acks, display data and readings go with the new chain once the old one has its last reading.</summary>
        private void FollowMove()
        {
            if (_parts.Move?.SwitchIfOldChainDone(_display) is not { } downlink) return;
            _downlink = downlink;
            _readingsTopic = MqttTopics.Readings(_parts.Move.LinkedChainId, _parts.Settings.MeterId);
            if (_proofs is not null)
            {
                // The light client trusts the old chain's validator set (its lightClient config); the move instruction names
                // the new chain's gateway keys, not its validator set with addresses, so the meter cannot verify the new
                // chain's commits. It falls back to the new gateways' signed acks and says so (docs/breakaway.md §6).
                _proofs.FallBackToAcks(downlink);
                _proofs = null;
                Log.Warn("move.light_client_off", ("chain", _parts.Move.LinkedChainId),
                    ("detail", "readings on the new chain are released on acks signed by its gateway keys; configure lightClient for the new chain to verify its commits again"));
            }
        }

        /// <summary>Hands the reading's registers to the Home Assistant publisher (never waits for its broker).</summary>
        private void PublishToHomeAssistant(long intervalStart, long importWh, long exportWh, long pvWh)
        {
            if (_parts.HomeAssistant is not { } ha) return;
            var sample = new MeterSample(intervalStart + _parts.Settings.IntervalSeconds, importWh, exportWh, pvWh);
            foreach (var state in ha.Discovery.States(sample, _lastSample)) ha.Set(state.Topic, state.Value);
            _lastSample = sample;
        }

        /// <summary>The community price and the house's balance, as the gateway last sent them for the LCD.</summary>
        private void OfferPriceAndBalance()
        {
            if (_parts.HomeAssistant is not { } ha || _display.CurrencyCode is not { Length: > 0 } currency) return;
            if (_display.HasPrice)
            {
                var price = HomeAssistantDiscovery.Price(currency);
                ha.Offer(price);
                ha.Set(ha.Discovery.StateTopic(price), HomeAssistantDiscovery.Decimal(_display.PriceMinorPerKwh, _display.CurrencyDecimals));
            }
            if (_display.HasBalance)
            {
                var balance = HomeAssistantDiscovery.Balance(currency);
                ha.Offer(balance);
                ha.Set(ha.Discovery.StateTopic(balance), HomeAssistantDiscovery.Decimal(_display.BalanceMinor, _display.CurrencyDecimals));
            }
        }

        private void NoteCaughtUp()
        {
            if (_caughtUpLogged || _parts.Clock is not ScaledClock { CaughtUp: true }) return;
            _caughtUpLogged = true;
            Log.Info("clock.caught_up", ("virtual_now", DateTimeOffset.FromUnixTimeMilliseconds(_parts.Clock.UnixMilliseconds).ToString("O")),
                ("detail", "virtual time reached real time and follows it from now on: a gateway rejects intervals that have not ended (FutureInterval)"));
        }

        /// <summary>
        /// Samples up to <paramref name="nowMs"/>. A catch-up (a simulation behind its clock on a busy machine, a long
        /// stall) can span many intervals, so a stop is honoured between them: each one ends with its reading on disk.
        /// </summary>
        private void Advance(long nowMs, CancellationToken stop)
        {
            long lengthMs = _parts.Settings.IntervalSeconds * 1000L;
            while (_cursorMs < nowMs && !stop.IsCancellationRequested)
            {
                long nextBoundary = (_cursorMs / lengthMs + 1) * lengthMs;
                // A simulation is sampled at each boundary, so every interval gets its exact energy and its reading;
                // hardware can only be read now, so a long stall yields one reading for the latest finished interval.
                long sampleMs = nextBoundary <= nowMs && _parts.Source.CanReplay ? nextBoundary : nowMs;
                _parts.Source.SampleAt(sampleMs);
                long lastBoundary = sampleMs / lengthMs * lengthMs;
                bool crossed = lastBoundary > _cursorMs;
                _cursorMs = sampleMs;
                Record(sampleMs, crossed);
            }
        }

        private void Record(long sampleMs, bool crossedBoundary)
        {
            var source = _parts.Source;
            if (!source.Ready)
            {
                if (!crossedBoundary) return;
                long intervalEnd = IntervalClock.StartOf(sampleMs / 1000, _parts.Settings.IntervalSeconds);
                Log.Warn("reading.skipped", ("interval_end", intervalEnd), ("reason", source.Problem ?? "no measurement yet"));
                return;
            }
            SignedInterval? made;
            try
            {
                made = _parts.Recorder.Poll(sampleMs / 1000, source.ImportWh, source.ExportWh, source.PvWh);
            }
            catch (StorageException e)
            {
                // Retried by the next poll: a failed append is made again, a failed commit is repeated first.
                Log.Error("reading.not_persisted", ("at", sampleMs / 1000), ("error", e.Message), ("commit_pending", _parts.Recorder.CommitPending));
                // With the commit pending the reading is queued all the same, so its registers are owed too.
                if (_parts.Recorder.CommitPending) _registersOwed = true;
                return;
            }
            if (made is null)
            {
                WarnIfIntervalAlreadyReported(sampleMs, crossedBoundary);
                return;
            }
            // After a restart the registers must never be below a reading that may have been sent.
            _registersOwed = true;
            SaveRegisters(force: true);
            var reading = made.Reading;
            try
            {
                _feed?.Remember(reading.Sequence, reading.IntervalStart);
            }
            catch (StorageException e)
            {
                Log.Warn("lcd.state_not_persisted", ("error", e.Message));
            }
            PublishToHomeAssistant(reading.IntervalStart, reading.ImportWh, reading.ExportWh, reading.PvWh);
            Log.Info("reading.queued", ("seq", reading.Sequence), ("interval", reading.IntervalStart), ("import_wh", reading.ImportWh),
                ("export_wh", reading.ExportWh), ("pv_wh", reading.PvWh), ("queue", _parts.Queue.Count));
            if (made.DroppedSequence != 0) Log.Warn("queue.dropped", ("seq", made.DroppedSequence), ("dropped_total", _parts.Queue.DroppedCount));
        }

        /// <summary>A boundary passed but its interval was reported before: the clock is behind the newest reading.</summary>
        private void WarnIfIntervalAlreadyReported(long sampleMs, bool crossedBoundary)
        {
            int length = _parts.Settings.IntervalSeconds;
            long finished = IntervalClock.StartOf(sampleMs / 1000, length) - length;
            long newest = _parts.Recorder.LastReportedIntervalStart;
            if (!crossedBoundary || newest < finished || _parts.Recorder.CommitPending) return;
            Log.Warn("reading.skipped", ("interval", finished), ("newest_interval", newest),
                ("reason", "interval already reported: the clock is behind the newest reading; readings resume at "
                    + DateTimeOffset.FromUnixTimeSeconds(newest + 2L * length).ToString("O")));
        }

        private async Task PublishDue(CancellationToken stop)
        {
            if (!_parts.Link.IsConnected) return;
            foreach (QueuedReading reading in _outbox.Due(_parts.Queue, _parts.Link.Generation, Environment.TickCount64))
            {
                // In sequence order: after a move, the first reading for the other chain waits with all behind it.
                if (_parts.Move?.IsForLinkedChain(reading) == false) break;
                if (!await _parts.Link.PublishAsync(_readingsTopic, reading.Payload, stop)) break;
                _outbox.MarkSent(reading.Sequence, Environment.TickCount64);
                Log.Info("reading.published", ("seq", reading.Sequence));
            }
        }

        /// <summary>Saves when forced or when the checkpoint's period passed; a failed forced save stays owed and blocks publishing.</summary>
        private void SaveRegisters(bool force)
        {
            var source = _parts.Source;
            if (!source.Ready) return;
            try
            {
                _parts.Registers.Save(Environment.TickCount64, source.ImportWh, source.ExportWh, source.PvWh, force);
                if (force) _registersOwed = false;
            }
            catch (StorageException e)
            {
                Log.Error("registers.not_persisted", ("error", e.Message));
            }
        }

        private void RefreshDisplay()
        {
            if (_parts.Lcd is null || _feed is null) return;
            try
            {
                _feed.Refresh(_cursorMs / 1000, _parts.Source, _parts.Queue, _parts.Link.IsConnected);
            }
            catch (StorageException e)
            {
                // Only the day's start is lost for a reboot; the page still shows what is in RAM.
                Log.Warn("lcd.state_not_persisted", ("error", e.Message));
            }
            try
            {
                _parts.Lcd.Refresh(Environment.TickCount64, _display);
            }
            catch (System.IO.IOException e)
            {
                Log.Warn("lcd.failed", ("error", e.Message));
            }
        }
    }
}
