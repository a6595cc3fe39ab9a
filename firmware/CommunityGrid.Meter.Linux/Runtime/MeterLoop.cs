using System;
using System.Threading;
using System.Threading.Tasks;
using CommunityGrid.Meter.Display;
using CommunityGrid.Meter.Linux.Logging;
using CommunityGrid.Meter.Messaging;
using CommunityGrid.Meter.Queue;
using CommunityGrid.Meter.Storage;

namespace CommunityGrid.Meter.Linux.Runtime
{
    /// <summary>
    /// The meter's one thread of work, each tick: sample up to now (interval by interval when the source can replay,
    /// as the simulation can), make the reading of every interval that ended, apply what the gateway sent, publish
    /// what is due, refresh the LCD. The queue is touched only here, so it needs no locking.
    /// </summary>
    public sealed class MeterLoop
    {
        private const long RegisterSaveEveryMs = 10_000;
        private readonly MeterParts _parts;
        private readonly string _readingsTopic;
        private readonly Outbox _outbox;
        private readonly DownlinkHandler _downlink;
        private readonly MeterDisplayState _display = new();
        private readonly int _tickMs;
        private long _cursorMs;
        private long _lastRegisterSaveMs;
        private long _dayStartMs = -1;
        private long[] _dayStartRegisters = new long[3];

        public MeterLoop(MeterParts parts)
        {
            _parts = parts;
            var settings = parts.Settings;
            _readingsTopic = MqttTopics.Readings(settings.ChainId, settings.MeterId);
            _outbox = new Outbox(window: 32, resendAfterMs: settings.ResendSeconds * 1000L);
            _downlink = new DownlinkHandler(settings.ChainId, settings.MeterId, parts.GatewayKeys, parts.Queue, _display, settings.DataDirectory);
            // About four samples per (virtual) interval at the least, and never slower than 5 per real second.
            long intervalRealMs = settings.IntervalSeconds * 1000L / parts.Clock.Scale;
            _tickMs = (int)Math.Clamp(intervalRealMs / 4, 10, 200);
        }

        public async Task RunAsync(CancellationToken stop)
        {
            _cursorMs = _parts.Clock.UnixMilliseconds;
            _parts.Source.SampleAt(_cursorMs);
            _lastRegisterSaveMs = Environment.TickCount64;
            while (!stop.IsCancellationRequested)
            {
                Advance(_parts.Clock.UnixMilliseconds);
                while (_parts.Link.Received.TryDequeue(out var message)) _downlink.Handle(message);
                await PublishDue(stop);
                SaveRegistersWhenDue();
                RefreshDisplay();
                try
                {
                    await Task.Delay(_tickMs, stop);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }
            SaveRegisters();
        }

        private void Advance(long nowMs)
        {
            long lengthMs = _parts.Settings.IntervalSeconds * 1000L;
            while (_cursorMs < nowMs)
            {
                long nextBoundary = (_cursorMs / lengthMs + 1) * lengthMs;
                // A simulation is sampled at each boundary, so every interval gets its exact energy and its reading;
                // hardware can only be read now, so a long stall yields one reading for the latest finished interval.
                long sampleMs = nextBoundary <= nowMs && _parts.Source.CanReplay ? nextBoundary : nowMs;
                _parts.Source.SampleAt(sampleMs);
                long lastBoundary = sampleMs / lengthMs * lengthMs;
                bool crossed = lastBoundary > _cursorMs;
                _cursorMs = sampleMs;
                if (crossed) FinishInterval(lastBoundary);
            }
        }

        private void FinishInterval(long boundaryMs)
        {
            var source = _parts.Source;
            if (!source.Ready)
            {
                Log.Warn("reading.skipped", ("interval_end", boundaryMs / 1000), ("reason", source.Problem ?? "no measurement yet"));
                return;
            }
            try
            {
                // Registers first: after a crash they must never be below a reading already signed.
                SaveRegisters();
                ProducedReading? produced = _parts.Producer.Produce(boundaryMs / 1000, source.ImportWh, source.ExportWh, source.PvWh);
                if (produced is null) return;
                var reading = produced.Interval.Reading;
                Log.Info("reading.queued", ("seq", reading.Sequence), ("interval", reading.IntervalStart), ("import_wh", reading.ImportWh),
                    ("export_wh", reading.ExportWh), ("pv_wh", reading.PvWh), ("queue", _parts.Queue.Count));
                if (produced.DroppedSequence != 0)
                {
                    Log.Warn("queue.dropped", ("seq", produced.DroppedSequence), ("dropped_total", _parts.Queue.DroppedCount));
                }
            }
            catch (StorageException e)
            {
                Log.Error("reading.not_persisted", ("interval_end", boundaryMs / 1000), ("error", e.Message));
            }
        }

        private async Task PublishDue(CancellationToken stop)
        {
            if (!_parts.Link.IsConnected) return;
            foreach (QueuedReading reading in _outbox.Due(_parts.Queue, _parts.Link.Generation, Environment.TickCount64))
            {
                if (!await _parts.Link.PublishAsync(_readingsTopic, reading.Payload, stop)) break;
                _outbox.MarkSent(reading.Sequence, Environment.TickCount64);
                Log.Info("reading.published", ("seq", reading.Sequence));
            }
        }

        private void SaveRegistersWhenDue()
        {
            if (Environment.TickCount64 - _lastRegisterSaveMs >= RegisterSaveEveryMs) SaveRegisters();
        }

        private void SaveRegisters()
        {
            var source = _parts.Source;
            if (!source.Ready) return;
            try
            {
                _parts.Registers.Save(source.ImportWh, source.ExportWh, source.PvWh);
                _lastRegisterSaveMs = Environment.TickCount64;
            }
            catch (StorageException e)
            {
                Log.Error("registers.not_persisted", ("error", e.Message));
            }
        }

        private void RefreshDisplay()
        {
            if (_parts.Lcd is null) return;
            var source = _parts.Source;
            long dayStart = _cursorMs / 86_400_000L * 86_400_000L;
            if (dayStart != _dayStartMs)
            {
                // "Today" counts from the first sample of the UTC day this process saw (after a restart: from then).
                _dayStartMs = dayStart;
                _dayStartRegisters = new[] { source.ImportWh, source.ExportWh, source.PvWh };
            }
            _display.PvPowerW = source.PvPowerW;
            _display.GridPowerW = source.GridPowerW;
            _display.TodayImportWh = source.ImportWh - _dayStartRegisters[0];
            _display.TodayExportWh = source.ExportWh - _dayStartRegisters[1];
            _display.TodayPvWh = source.PvWh - _dayStartRegisters[2];
            _display.MqttConnected = _parts.Link.IsConnected;
            _display.WifiConnected = true;
            _display.QueueLength = _parts.Queue.Count;
            _display.QueueDropped = _parts.Queue.DroppedCount;
            _display.LastAcknowledgedSequence = _parts.Queue.LastAcknowledged;
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
