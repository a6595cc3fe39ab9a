using System;
using System.IO;
using CommunityGrid.Meter.Display;
using CommunityGrid.Meter.Linux.Logging;
using CommunityGrid.Meter.Linux.Mqtt;
using CommunityGrid.Meter.Messaging;
using CommunityGrid.Meter.Queue;
using CommunityGrid.Meter.Storage;
using CommunityGrid.Protocol.Cose;

namespace CommunityGrid.Meter.Linux.Runtime
{
    /// <summary>
    /// What the gateway sends down, applied by the core's <see cref="GatewayDownlink"/> (the ESP32 applies it the same
    /// way): acknowledgements release readings from the queue, a rejection shows on the LCD with its reason, display data
    /// goes to the LCD. Nothing is believed unless a configured gateway key signed it for this chain and meter;
    /// everything else is dropped with a counted log line. Rejections are also logged and appended to rejected.log.
    /// </summary>
    public sealed class DownlinkHandler
    {
        private readonly GatewayDownlink _downlink;
        private readonly ReadingQueue _queue;
        private readonly string _rejectionLog;
        private readonly bool _lightClient;

        /// <param name="lightClient">Only proofs release committed readings (docs/protocol.md §7.6); acks then release only rejections.</param>
        /// <summary>The core's downlink this handler feeds.</summary>
        public GatewayDownlink Downlink => _downlink;

        public DownlinkHandler(string chainId, string meterId, TrustedSigners keys, ReadingQueue queue, MeterDisplayState display, IFileStore files, string dataDirectory,
            bool lightClient = false)
        {
            _downlink = new GatewayDownlink(chainId, meterId, keys, queue, display, files) { ReleasesOnCommitAcks = !lightClient };
            _lightClient = lightClient;
            _downlink.Load();
            _queue = queue;
            _rejectionLog = Path.Combine(dataDirectory, "rejected.log");
        }

        public long DroppedAcks { get; private set; }

        public long DroppedDisplays { get; private set; }

        public void Handle(ReceivedMessage message)
        {
            if (message.Topic == _downlink.AcksTopic) HandleAck(message.Payload);
            else if (message.Topic == _downlink.DisplayTopic) HandleDisplay(message.Payload);
        }

        private void HandleAck(byte[] payload)
        {
            GatewayAck ack;
            bool released;
            try
            {
                ack = _downlink.ApplyAck(payload, out released);
            }
            catch (Exception e) when (e is FormatException || e is UntrustedSignerException || e is CoseSignatureException)
            {
                DroppedAcks++;
                Log.Warn("ack.dropped", ("reason", e.Message), ("dropped_total", DroppedAcks));
                return;
            }
            catch (StorageException e)
            {
                Log.Error("ack.not_persisted", ("error", e.Message));
                return;
            }
            if (!released && _lightClient && ack.Status != AckStatus.Rejected)
            {
                // A gateway's word that a reading is committed is not proof: the reading waits for a verified proof.
                Log.Info("ack.unproven", ("seq", ack.Sequence), ("status", GatewayAck.StatusName(ack.Status)), ("block", ack.BlockHeight),
                    ("released_through", _queue.ReleasedThrough));
                return;
            }
            if (!released)
            {
                Log.Info("ack.stale", ("seq", ack.Sequence), ("status", GatewayAck.StatusName(ack.Status)), ("released_through", _queue.ReleasedThrough));
                return;
            }
            Log.Info("ack.applied", ("seq", ack.Sequence), ("status", GatewayAck.StatusName(ack.Status)), ("block", ack.BlockHeight),
                ("tx", ack.TxIndex), ("released_through", _queue.ReleasedThrough), ("queue", _queue.Count));
            if (ack.Status == AckStatus.Rejected) RecordRejection(ack);
        }

        private void RecordRejection(GatewayAck ack)
        {
            Log.Warn("reading.rejected", ("seq", ack.Sequence), ("block", ack.BlockHeight), ("reason", ack.Reason), ("hint", RejectionAdvice.For(ack.Reason)));
            try
            {
                // A plain text record for the installer; the reading itself is gone from the queue.
                File.AppendAllText(_rejectionLog, $"{DateTimeOffset.UtcNow:O} seq={ack.Sequence} block={ack.BlockHeight} reason={ack.Reason}\n");
            }
            catch (IOException e)
            {
                Log.Warn("reading.rejection_not_recorded", ("seq", ack.Sequence), ("error", e.Message));
            }
        }

        private void HandleDisplay(byte[] payload)
        {
            DisplayInfo info;
            try
            {
                info = _downlink.ApplyDisplay(payload);
            }
            catch (Exception e) when (e is FormatException || e is UntrustedSignerException || e is CoseSignatureException)
            {
                DroppedDisplays++;
                Log.Warn("display.dropped", ("reason", e.Message), ("dropped_total", DroppedDisplays));
                return;
            }
            Log.Info("display.updated", ("price", info.PriceMinorPerKwh), ("balance", info.BalanceMinor), ("block", info.LastBlockHeight));
        }
    }
}
