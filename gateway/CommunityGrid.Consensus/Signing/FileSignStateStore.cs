using System;
using System.Buffers.Binary;
using System.IO;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using CommunityGrid.Consensus.Messages;

namespace CommunityGrid.Consensus.Signing;

/// <summary>
/// The sign state in one file of two fixed slots, written alternately in place and fsynced: a write
/// torn at any byte leaves the other slot, the previous state, intact, and the slot being written fails
/// its checksum. Slot layout (big-endian): "CGSS" | sequence u64 | length u32 | state (SignState
/// encoding) | SHA-256 of everything before it; the rest of the slot is ignored. Load takes the valid
/// slot with the higher sequence. The file is created (and its directory fsynced) before anything is
/// signed, so a lost file cannot be mistaken for a fresh validator after a crash.
/// The block a lock names is kept beside it, in <c>{path}.locked/{block id}</c> (<see cref="LockedBlockFiles"/>),
/// written and fsynced before the state that names it; files of locks no longer held are removed after each save.
/// </summary>
public sealed class FileSignStateStore : ISignStateStore
{
    /// <summary>Room for the state with a proof-of-lock of 2f+1 prevotes (~140 bytes each) for sets up to ~400 validators.</summary>
    internal const int SlotSize = 64 * 1024;
    private const int HeaderSize = 4 + 8 + 4;
    private const int HashSize = 32;
    private static readonly byte[] Magic = "CGSS"u8.ToArray();

    private readonly string path;
    private readonly LockedBlockFiles lockedBlocks;
    private ulong lastSequence;

    public FileSignStateStore(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        this.path = Path.GetFullPath(path);
        if (!File.Exists(this.path)) Create(this.path);
        lockedBlocks = new LockedBlockFiles(this.path + ".locked");
    }

    public void SaveLockedBlock(ConsensusBlock block) => lockedBlocks.Save(block);

    public ConsensusBlock? LoadLockedBlock(BlockId id) => lockedBlocks.Load(id);

    public SignState? Load()
    {
        byte[] file = File.ReadAllBytes(path);
        if (file.Length != 2 * SlotSize)
        {
            throw new SignStateException($"{path} is {file.Length} bytes, not {2 * SlotSize}: not a sign-state file or damaged. Do not delete it: restore it from a backup or, with the gateway stopped for longer than one round, ask the operators' guide (docs/consensus.md) how to resume safely.");
        }
        SlotRead a = ReadSlot(file.AsSpan(0, SlotSize));
        SlotRead b = ReadSlot(file.AsSpan(SlotSize, SlotSize));
        if (!a.Valid && !b.Valid)
        {
            // A torn write damages one slot only; both damaged is not a crash but a broken disk or file.
            if (!a.Empty && !b.Empty) throw new SignStateException($"{path}: both slots are damaged; the last signed state is unknown and signing could double-sign. Restore the file from a backup.");
            lastSequence = 0;
            return null;
        }
        SlotRead latest = !b.Valid || (a.Valid && a.Sequence > b.Sequence) ? a : b;
        lastSequence = latest.Sequence;
        return latest.State;
    }

    public void Save(SignState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        ulong sequence = lastSequence + 1;
        byte[] slot = EncodeSlot(sequence, state);
        using (var stream = new FileStream(path, FileMode.Open, FileAccess.Write, FileShare.None))
        {
            stream.Position = SlotOffset(sequence);
            stream.Write(slot);
            stream.Flush(flushToDisk: true);
        }
        lastSequence = sequence;
        lockedBlocks.KeepOnly(state.LockedBlockId);
    }

    internal static long SlotOffset(ulong sequence) => (long)(sequence % 2) * SlotSize;

    internal static byte[] EncodeSlot(ulong sequence, SignState state)
    {
        byte[] payload = state.Encode();
        if (HeaderSize + payload.Length + HashSize > SlotSize) throw new ArgumentException($"sign state of {payload.Length} bytes does not fit a slot");
        var slot = new byte[HeaderSize + payload.Length + HashSize];
        Magic.CopyTo(slot, 0);
        BinaryPrimitives.WriteUInt64BigEndian(slot.AsSpan(4), sequence);
        BinaryPrimitives.WriteUInt32BigEndian(slot.AsSpan(12), (uint)payload.Length);
        payload.CopyTo(slot, HeaderSize);
        SHA256.HashData(slot.AsSpan(0, HeaderSize + payload.Length), slot.AsSpan(HeaderSize + payload.Length));
        return slot;
    }

    private static SlotRead ReadSlot(ReadOnlySpan<byte> slot)
    {
        if (slot.IndexOfAnyExcept((byte)0) < 0) return new SlotRead(false, true, 0, null);
        var invalid = new SlotRead(false, false, 0, null);
        if (!slot[..4].SequenceEqual(Magic)) return invalid;
        uint declared = BinaryPrimitives.ReadUInt32BigEndian(slot[12..]);
        if (declared > SlotSize - HeaderSize - HashSize) return invalid;
        int length = (int)declared;
        Span<byte> hash = stackalloc byte[HashSize];
        SHA256.HashData(slot[..(HeaderSize + length)], hash);
        if (!hash.SequenceEqual(slot.Slice(HeaderSize + length, HashSize))) return invalid;
        try
        {
            return new SlotRead(true, false, BinaryPrimitives.ReadUInt64BigEndian(slot[4..]), SignState.Decode(slot.Slice(HeaderSize, length).ToArray()));
        }
        catch (ConsensusFormatException)
        {
            return invalid;
        }
    }

    private static void Create(string path)
    {
        string directory = Path.GetDirectoryName(path)!;
        Directory.CreateDirectory(directory);
        string temporary = path + ".new";
        using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            stream.Write(new byte[2 * SlotSize]);
            stream.Flush(flushToDisk: true);
        }
        File.Move(temporary, path);
        SyncDirectory(directory);
    }

    /// <summary>fsync(2) of the directory so the new file's name is durable (POSIX only; elsewhere the OS offers no equivalent call).</summary>
    internal static void SyncDirectory(string directory)
    {
        if (OperatingSystem.IsWindows()) return;
        int descriptor = NativeMethods.open(directory, 0);
        if (descriptor < 0) throw new IOException($"cannot open directory {directory} to fsync it (errno {Marshal.GetLastPInvokeError()})");
        try
        {
            if (NativeMethods.fsync(descriptor) != 0) throw new IOException($"fsync of directory {directory} failed (errno {Marshal.GetLastPInvokeError()})");
        }
        finally
        {
            _ = NativeMethods.close(descriptor);
        }
    }

    private readonly record struct SlotRead(bool Valid, bool Empty, ulong Sequence, SignState? State);

    private static class NativeMethods
    {
        [DllImport("libc", SetLastError = true, CharSet = CharSet.Ansi)]
        public static extern int open(string path, int flags);

        [DllImport("libc", SetLastError = true)]
        public static extern int fsync(int descriptor);

        [DllImport("libc", SetLastError = true)]
        public static extern int close(int descriptor);
    }
}

public sealed class SignStateException(string message) : Exception(message);
