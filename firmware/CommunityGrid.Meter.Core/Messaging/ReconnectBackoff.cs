using System;

namespace CommunityGrid.Meter.Messaging
{
    /// <summary>
    /// Delays between broker reconnect attempts: the step doubles from the initial delay up to a cap, and each delay
    /// is drawn from the upper half of its step ("equal jitter"), so a street of meters that lost the broker together
    /// does not come back in lockstep, yet never retries sooner than half a step. Used by the ESP32 app and the Linux
    /// runtime; time is passed in, never read, so the schedule is testable.
    /// </summary>
    public class ReconnectBackoff
    {
        private readonly int _initialMs;
        private readonly int _capMs;
        private readonly Random _random;
        private int _failures;

        /// <param name="random">the jitter source; on the ESP32 a plain <c>new Random()</c> is the hardware RNG.</param>
        public ReconnectBackoff(int initialMs, int capMs, Random random)
        {
            if (initialMs < 2) throw new ArgumentOutOfRangeException(nameof(initialMs), "the first delay must be at least 2 ms");
            if (capMs < initialMs) throw new ArgumentOutOfRangeException(nameof(capMs), "the cap must be at least " + initialMs + " ms");
            ArgumentNullException.ThrowIfNull(random);
            _initialMs = initialMs;
            _capMs = capMs;
            _random = random;
        }

        /// <summary>Failed attempts since the last success.</summary>
        public int Failures => _failures;

        /// <summary>Earliest time (caller's ms clock) for the next attempt; 0 until an attempt failed.</summary>
        public long NextAttemptMs { get; private set; }

        /// <summary>The step (the jitter's upper bound) after <paramref name="failures"/> failures: initial x 2^failures, capped.</summary>
        public static int StepMs(int initialMs, int capMs, int failures)
        {
            long step = initialMs;
            // Doubling stops at the cap, so a long outage can neither overflow nor loop long.
            for (int i = 0; i < failures && step < capMs; i++) step *= 2;
            return step > capMs ? capMs : (int)step;
        }

        /// <summary>The delay before the next attempt, and counts one more failure.</summary>
        public int NextDelayMs()
        {
            int step = StepMs(_initialMs, _capMs, _failures);
            if (_failures < int.MaxValue) _failures++;
            int half = step / 2;
            return half + _random.Next(step - half + 1);
        }

        public void Reset()
        {
            _failures = 0;
            NextAttemptMs = 0;
        }

        /// <summary>For polling loops: may a connect attempt be made at <paramref name="nowMs"/>?</summary>
        public bool IsDue(long nowMs) => nowMs >= NextAttemptMs;

        /// <summary>For polling loops: an attempt at <paramref name="nowMs"/> failed; returns the delay chosen.</summary>
        public int Failed(long nowMs)
        {
            int delay = NextDelayMs();
            NextAttemptMs = nowMs + delay;
            return delay;
        }
    }
}
