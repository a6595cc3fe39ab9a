using System;

namespace CommunityGrid.Meter.Linux.Mqtt
{
    /// <summary>
    /// Reconnect delays: doubling from <see cref="InitialMs"/> up to a cap, each drawn at random from the upper half
    /// of its step ("equal jitter"), so a street of meters that lost the broker together does not return in lockstep.
    /// </summary>
    public sealed class Backoff
    {
        public const int InitialMs = 500;
        private readonly int _capMs;
        private readonly Random _random;
        private int _attempt;

        public Backoff(int capMs, Random random)
        {
            if (capMs < InitialMs) throw new ArgumentOutOfRangeException(nameof(capMs), $"the cap must be at least {InitialMs} ms");
            _capMs = capMs;
            _random = random;
        }

        public int NextDelayMs()
        {
            long step = Math.Min((long)_capMs, (long)InitialMs << Math.Min(_attempt, 20));
            _attempt++;
            long half = step / 2;
            return (int)(half + _random.NextInt64(half + 1));
        }

        public void Reset() => _attempt = 0;
    }
}
