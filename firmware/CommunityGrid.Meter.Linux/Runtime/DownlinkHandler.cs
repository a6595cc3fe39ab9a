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
    /// What the gateway sends down: acknowledgements release readings from the queue, display data goes to the LCD.
    /// Nothing is believed unless a configured gateway key signed it for this chain and meter; everything else is
    /// dropped with a counted log line.
    /// </summary>
    public sealed class DownlinkHandler
    {
        private readonly string _chainId;
        private readonly string _meterId;
        private readonly string _acksTopic;
        private readonly string _displayTopic;
        private readonly TrustedSigners _keys;
        private readonly ReadingQueue _queue;
        private readonly MeterDisplayState _display;
        private readonly string _rejectionLog;

        public DownlinkHandler(string chainId, string meterId, TrustedSigners keys, ReadingQueue queue, MeterDisplayState display, string dataDirectory)
        {
            _chainId = chainId;
            _meterId = meterId;
            _acksTopic = MqttTopics.Acks(chainId, meterId);
            _displayTopic = MqttTopics.Display(chainId, meterId);
            _keys = keys;
            _queue = queue;
            _display = display;
            _rejectionLog = Path.Combine(dataDirectory, "rejected.log");
        }

        public long DroppedAcks { get; private set; }

        public long DroppedDisplays { get; private set; }

        public void Handle(ReceivedMessage message)
        {
            if (message.Topic == _acksTopic) HandleAck(message.Payload);
            else if (message.Topic == _displayTopic) HandleDisplay(message.Payload);
        }

        private void HandleAck(byte[] payload)
        {
            GatewayAck ack;
            try
            {
                ack = GatewayAckCodec.Open(payload, _keys);
                if (!ack.IsFor(_chainId, _meterId)) throw new MessageFormatException("ack", "meter id", "names " + ack.ChainId + "/" + ack.MeterId + ", not this meter");
            }
            catch (Exception e) when (e is FormatException || e is UntrustedSignerException || e is CoseSignatureException)
            {
                DroppedAcks++;
                Log.Warn("ack.dropped", ("reason", e.Message), ("dropped_total", DroppedAcks));
                return;
            }
            bool released;
            try
            {
                released = _queue.Acknowledge(ack.Sequence);
            }
            catch (StorageException e)
            {
                Log.Error("ack.not_persisted", ("seq", ack.Sequence), ("error", e.Message));
                return;
            }
            if (!released)
            {
                Log.Info("ack.stale", ("seq", ack.Sequence), ("status", GatewayAck.StatusName(ack.Status)), ("released_through", _queue.ReleasedThrough));
                return;
            }
            _display.LastAcknowledgedSequence = _queue.LastAcknowledged;
            _display.QueueLength = _queue.Count;
            Log.Info("ack.applied", ("seq", ack.Sequence), ("status", GatewayAck.StatusName(ack.Status)), ("block", ack.BlockHeight),
                ("tx", ack.TxIndex), ("released_through", _queue.ReleasedThrough), ("queue", _queue.Count));
            if (ack.Status == AckStatus.Rejected) RecordRejection(ack);
        }

        private void RecordRejection(GatewayAck ack)
        {
            Log.Warn("reading.rejected", ("seq", ack.Sequence), ("block", ack.BlockHeight), ("reason", ack.Reason));
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
                info = DisplayInfoCodec.Open(payload, _keys);
                if (!info.IsFor(_chainId, _meterId)) throw new MessageFormatException("display", "meter id", "names " + info.ChainId + "/" + info.MeterId + ", not this meter");
            }
            catch (Exception e) when (e is FormatException || e is UntrustedSignerException || e is CoseSignatureException)
            {
                DroppedDisplays++;
                Log.Warn("display.dropped", ("reason", e.Message), ("dropped_total", DroppedDisplays));
                return;
            }
            _display.HasPrice = true;
            _display.PriceMinorPerKwh = info.PriceMinorPerKwh;
            _display.HasBalance = true;
            _display.BalanceMinor = info.BalanceMinor;
            Log.Info("display.updated", ("price", info.PriceMinorPerKwh), ("balance", info.BalanceMinor), ("block", info.LastBlockHeight));
        }
    }
}
