using System;
using CommunityGrid.Protocol.Readings;

namespace CommunityGrid.Meter.Intervals
{
    /// <summary>The meter's fixed facts (chain, meter id, interval length, firmware), checked once, stamped on every reading.</summary>
    public sealed class ReadingBuilder
    {
        /// <exception cref="ArgumentException">an id, the interval length or the firmware version is not acceptable in a reading.</exception>
        public ReadingBuilder(string chainId, string meterId, int intervalLengthSeconds, string firmwareVersion)
        {
            // Building a throwaway reading applies exactly the protocol's rules, so a bad configuration fails at
            // start-up with the protocol's own message instead of at the first interval boundary.
            new MeterReading(chainId, meterId, 1, 0, intervalLengthSeconds, 0, 0, 0, firmwareVersion);
            ChainId = chainId;
            MeterId = meterId;
            IntervalLengthSeconds = intervalLengthSeconds;
            FirmwareVersion = firmwareVersion;
        }

        /// <summary>The chain the meter was configured for; intervals before a move are signed for it.</summary>
        public string ChainId { get; }

        /// <summary>The chain a move sends the meter to, or null when it has not moved (docs/breakaway.md).</summary>
        public string? MovedToChainId { get; private set; }

        /// <summary>First interval signed for <see cref="MovedToChainId"/>; -1 without a move.</summary>
        public long MovedFromIntervalStart { get; private set; } = -1;

        public string MeterId { get; }

        public int IntervalLengthSeconds { get; }

        public string FirmwareVersion { get; }

        /// <summary>
        /// From the interval starting at <paramref name="fromIntervalStart"/> on, readings name <paramref name="newChainId"/>;
        /// earlier ones keep the old chain. Each interval thus has exactly one chain. One move per builder.
        /// </summary>
        /// <exception cref="ArgumentException">the chain id is not acceptable in a reading, or the interval is not a boundary.</exception>
        /// <exception cref="InvalidOperationException">the meter has already moved.</exception>
        public void MoveTo(string newChainId, long fromIntervalStart)
        {
            CheckMove(newChainId, fromIntervalStart);
            MovedToChainId = newChainId;
            MovedFromIntervalStart = fromIntervalStart;
        }

        /// <summary>Throws what <see cref="MoveTo"/> would throw, changing nothing (so a move can be persisted before it applies).</summary>
        public void CheckMove(string newChainId, long fromIntervalStart)
        {
            if (MovedToChainId != null) throw new InvalidOperationException("the meter has already moved to chain " + MovedToChainId);
            if (fromIntervalStart < 0 || fromIntervalStart % IntervalLengthSeconds != 0)
            {
                throw new ArgumentException("the move must start at an interval boundary", nameof(fromIntervalStart));
            }
            if (newChainId == ChainId) throw new ArgumentException("the meter is already on chain " + ChainId, nameof(newChainId));
            new MeterReading(newChainId, MeterId, 1, 0, IntervalLengthSeconds, 0, 0, 0, FirmwareVersion);
        }

        /// <summary>The chain the reading of the interval starting at <paramref name="intervalStart"/> is signed for.</summary>
        public string ChainIdFor(long intervalStart)
        {
            return MovedToChainId != null && intervalStart >= MovedFromIntervalStart ? MovedToChainId : ChainId;
        }

        public MeterReading Build(long sequence, long intervalStart, long importWh, long exportWh, long pvWh)
        {
            return new MeterReading(ChainIdFor(intervalStart), MeterId, sequence, intervalStart, IntervalLengthSeconds, importWh, exportWh, pvWh, FirmwareVersion);
        }
    }
}
