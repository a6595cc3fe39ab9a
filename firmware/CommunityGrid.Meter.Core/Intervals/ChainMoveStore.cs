using System;
using CommunityGrid.Meter.Storage;
using CommunityGrid.Protocol.Bytes;

namespace CommunityGrid.Meter.Intervals
{
    /// <summary>
    /// The meter's move to another chain (docs/breakaway.md), kept in an <see cref="AlternatingSlotFile"/> (files
    /// <c>move.0</c>/<c>move.1</c>, payload: first interval start int64, then the new chain id in UTF-8), so that a
    /// restart does not send readings of the new chain's intervals to the old chain.
    /// </summary>
    public sealed class ChainMoveStore
    {
        public const string DefaultName = "move";
        private readonly AlternatingSlotFile _slots;

        public ChainMoveStore(IFileStore store, string name)
        {
            _slots = new AlternatingSlotFile(store, name);
            FromIntervalStart = -1;
        }

        public ChainMoveStore(IFileStore store) : this(store, DefaultName)
        {
        }

        /// <summary>The chain the meter moved to, or null when it has not moved.</summary>
        public string? NewChainId { get; private set; }

        /// <summary>The first interval for <see cref="NewChainId"/>; -1 without a move.</summary>
        public long FromIntervalStart { get; private set; }

        public void Load()
        {
            byte[]? payload = _slots.Load();
            if (payload == null || payload.Length <= 8)
            {
                NewChainId = null;
                FromIntervalStart = -1;
                return;
            }
            FromIntervalStart = BigEndian.ReadInt64(payload, 0);
            NewChainId = Utf8.Decode(payload, 8, payload.Length - 8);
        }

        /// <summary>Persists the move; when this returns, a restart keeps it.</summary>
        public void Save(string newChainId, long fromIntervalStart)
        {
            ArgumentNullException.ThrowIfNull(newChainId);
            byte[] chain = Utf8.Encode(newChainId);
            byte[] payload = new byte[8 + chain.Length];
            BigEndian.WriteInt64(payload, 0, fromIntervalStart);
            Array.Copy(chain, 0, payload, 8, chain.Length);
            _slots.Save(payload);
            NewChainId = newChainId;
            FromIntervalStart = fromIntervalStart;
        }
    }
}
