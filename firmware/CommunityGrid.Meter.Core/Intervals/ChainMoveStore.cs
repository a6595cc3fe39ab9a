using System;
using CommunityGrid.Meter.Messaging;
using CommunityGrid.Meter.Storage;

namespace CommunityGrid.Meter.Intervals
{
    /// <summary>
    /// The meter's move to another chain (docs/breakaway.md), kept in an <see cref="AlternatingSlotFile"/> (files
    /// <c>move.0</c>/<c>move.1</c>, payload: the first interval start for the new chain as int64, then the move
    /// instruction's CBOR payload, docs/protocol.md §7.5), so that a restart neither sends readings of the new chain's
    /// intervals to the old chain nor forgets the new chain's gateway keys and brokers.
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

        /// <summary>The move made, or null when the meter has not moved.</summary>
        public MoveInstruction? Move { get; private set; }

        /// <summary>The chain the meter moved to, or null when it has not moved.</summary>
        public string? NewChainId => Move == null ? null : Move.NewChainId;

        /// <summary>The first interval for <see cref="NewChainId"/>; -1 without a move.</summary>
        public long FromIntervalStart { get; private set; }

        /// <exception cref="StorageException">the file holds a move this firmware cannot read: refusing to start beats signing for the wrong chain.</exception>
        public void Load()
        {
            Move = null;
            FromIntervalStart = -1;
            byte[]? payload = _slots.Load();
            if (payload == null || payload.Length <= 8) return;
            byte[] instruction = new byte[payload.Length - 8];
            Array.Copy(payload, 8, instruction, 0, instruction.Length);
            try
            {
                Move = MoveInstruction.DecodePayload(instruction);
            }
            catch (FormatException e)
            {
                throw new StorageException("the move file " + DefaultName + " holds no readable move (" + e.Message + "); the meter cannot tell which chain its intervals belong to");
            }
            FromIntervalStart = BigEndian.ReadInt64(payload, 0);
        }

        /// <summary>Persists the move; when this returns, a restart keeps it.</summary>
        public void Save(MoveInstruction move, long fromIntervalStart)
        {
            ArgumentNullException.ThrowIfNull(move);
            byte[] instruction = move.EncodePayload();
            byte[] payload = new byte[8 + instruction.Length];
            BigEndian.WriteInt64(payload, 0, fromIntervalStart);
            Array.Copy(instruction, 0, payload, 8, instruction.Length);
            _slots.Save(payload);
            Move = move;
            FromIntervalStart = fromIntervalStart;
        }
    }
}
