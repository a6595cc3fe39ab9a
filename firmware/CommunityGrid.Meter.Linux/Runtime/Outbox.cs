using System.Collections.Generic;
using System.Linq;
using CommunityGrid.Meter.Queue;

namespace CommunityGrid.Meter.Linux.Runtime
{
    /// <summary>
    /// Decides which queued readings to publish now. Up to <see cref="Window"/> of the oldest waiting readings are in
    /// flight at once; each goes once per connection, and again only when the oldest has waited <c>resendAfterMs</c>
    /// for its acknowledgement, in which case the whole window goes again, oldest first, so that the gateway sees
    /// every connection's readings in sequence order. A new connection sends everything again for the same reason.
    /// Acknowledged readings leave the queue, so they are never offered again.
    /// </summary>
    public sealed class Outbox
    {
        private readonly Dictionary<long, long> _sentAtMs = new();
        private readonly long _resendAfterMs;
        private int _generation = -1;

        public Outbox(int window, long resendAfterMs)
        {
            Window = window;
            _resendAfterMs = resendAfterMs;
        }

        public int Window { get; }

        public List<QueuedReading> Due(ReadingQueue queue, int connectionGeneration, long nowMs)
        {
            if (connectionGeneration != _generation)
            {
                _sentAtMs.Clear();
                _generation = connectionGeneration;
            }
            var due = new List<QueuedReading>();
            int count = System.Math.Min(queue.Count, Window);
            if (count == 0)
            {
                _sentAtMs.Clear();
                return due;
            }
            long oldest = queue.GetPending(0).Sequence;
            _sentAtMs.Keys.Where(sequence => sequence < oldest).ToList().ForEach(sequence => _sentAtMs.Remove(sequence));
            bool resendAll = _sentAtMs.TryGetValue(oldest, out long sentAt) && nowMs - sentAt >= _resendAfterMs;
            for (int i = 0; i < count; i++)
            {
                QueuedReading reading = queue.GetPending(i);
                if (resendAll || !_sentAtMs.ContainsKey(reading.Sequence)) due.Add(reading);
            }
            return due;
        }

        public void MarkSent(long sequence, long nowMs) => _sentAtMs[sequence] = nowMs;
    }
}
