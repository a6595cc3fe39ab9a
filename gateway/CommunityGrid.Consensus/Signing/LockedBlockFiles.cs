using System;
using System.Buffers.Binary;
using System.IO;
using System.Security.Cryptography;

namespace CommunityGrid.Consensus.Signing;

/// <summary>
/// The blocks a validator is locked on, one file per block named by its id, in a directory beside the sign-state
/// file. File layout (big-endian): "CGLB" | block time i64 | length u32 | block bytes | SHA-256 of everything before.
/// A file is written under a temporary name, fsynced and renamed (then the directory fsynced), so a crash leaves the
/// whole file or none; a damaged or foreign file reads as absent (the validator then proposes anew, as before).
/// </summary>
internal sealed class LockedBlockFiles(string directory)
{
    private const int HeaderSize = 4 + 8 + 4;
    private const int HashSize = 32;
    private static readonly byte[] Magic = "CGLB"u8.ToArray();

    public void Save(ConsensusBlock block)
    {
        Directory.CreateDirectory(directory);
        string final = FileOf(block.Id);
        string temporary = final + ".new";
        var content = new byte[HeaderSize + block.Bytes.Length + HashSize];
        Magic.CopyTo(content, 0);
        BinaryPrimitives.WriteInt64BigEndian(content.AsSpan(4), block.TimeMs);
        BinaryPrimitives.WriteUInt32BigEndian(content.AsSpan(12), (uint)block.Bytes.Length);
        block.Bytes.CopyTo(content, HeaderSize);
        SHA256.HashData(content.AsSpan(0, HeaderSize + block.Bytes.Length), content.AsSpan(HeaderSize + block.Bytes.Length));
        using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            stream.Write(content);
            stream.Flush(flushToDisk: true);
        }
        File.Move(temporary, final, overwrite: true);
        FileSignStateStore.SyncDirectory(directory);
    }

    public ConsensusBlock? Load(BlockId id)
    {
        string file = FileOf(id);
        if (!File.Exists(file)) return null;
        byte[] content = File.ReadAllBytes(file);
        if (content.Length < HeaderSize + HashSize || !content.AsSpan(0, 4).SequenceEqual(Magic)) return null;
        uint length = BinaryPrimitives.ReadUInt32BigEndian(content.AsSpan(12));
        if (length != content.Length - HeaderSize - HashSize) return null;
        Span<byte> hash = stackalloc byte[HashSize];
        SHA256.HashData(content.AsSpan(0, HeaderSize + (int)length), hash);
        if (!hash.SequenceEqual(content.AsSpan(HeaderSize + (int)length))) return null;
        // The id is the chain's header hash, which only the host can compute: the machine checks the block with
        // IBlockRules.IsValid before it re-proposes it, as it does for any block.
        return new ConsensusBlock(id, BinaryPrimitives.ReadInt64BigEndian(content.AsSpan(4)), content.AsSpan(HeaderSize, (int)length).ToArray());
    }

    /// <summary>Removes the files of blocks no longer locked on (and leftovers of interrupted writes).</summary>
    public void KeepOnly(BlockId? locked)
    {
        if (!Directory.Exists(directory)) return;
        string? keep = locked is null ? null : FileOf(locked);
        foreach (string file in Directory.GetFiles(directory))
        {
            if (keep is null || !string.Equals(Path.GetFullPath(file), keep, StringComparison.Ordinal)) File.Delete(file);
        }
    }

    private string FileOf(BlockId id) => Path.GetFullPath(Path.Combine(directory, id.ToString()));
}
