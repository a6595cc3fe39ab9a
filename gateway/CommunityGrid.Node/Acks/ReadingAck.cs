using System.Formats.Cbor;
using System.Text;
using CommunityGrid.Formats.Cose;
using CommunityGrid.Formats.Signing;

namespace CommunityGrid.Node.Acks;

/// <summary>Ack key 4. Every status lets the meter drop the reading from its queue.</summary>
public enum AckStatus
{
    Committed = 0,
    AlreadyCommitted = 1,
    Rejected = 2,
}

/// <summary>
/// The gateway's signed answer about one reading (docs/protocol.md, "MQTT topics"): payload
/// {1: chain id, 2: meter id, 3: sequence, 4: status, 5: block height, 6: tx index, 7: reason (rejected only)}
/// in deterministic CBOR, carried as a COSE_Sign1 with content type <see cref="ContentType"/>.
/// Written here with System.Formats.Cbor and read on the meter by its own portable decoder; tests hold the two together.
/// </summary>
/// <param name="BlockHeight">Committed: the reading's block. Already committed: the first copy's block. Rejected: the chain height at rejection.</param>
/// <param name="TxIndex">Position in that block; 0 when rejected.</param>
public sealed record ReadingAck(string ChainId, string MeterId, long Sequence, AckStatus Status, long BlockHeight, int TxIndex, string? Reason)
{
    public const string ContentType = "application/vnd.communitygrid.ack+cbor";
    public const int MaxReasonBytes = 256;

    public static ReadingAck Rejected(string chainId, string meterId, long sequence, long height, string reason) =>
        new(chainId, meterId, sequence, AckStatus.Rejected, height, 0, FitReason(reason));

    public byte[] EncodePayload()
    {
        var w = new CborWriter(CborConformanceMode.Canonical);
        w.WriteStartMap(Reason is null ? 6 : 7);
        w.WriteInt32(1); w.WriteTextString(ChainId);
        w.WriteInt32(2); w.WriteTextString(MeterId);
        w.WriteInt32(3); w.WriteInt64(Sequence);
        w.WriteInt32(4); w.WriteInt32((int)Status);
        w.WriteInt32(5); w.WriteInt64(BlockHeight);
        w.WriteInt32(6); w.WriteInt32(TxIndex);
        if (Reason is not null)
        {
            w.WriteInt32(7); w.WriteTextString(Reason);
        }
        w.WriteEndMap();
        return w.Encode();
    }

    public byte[] Sign(Ed25519Signer gateway) => CoseSign1Codec.Sign(EncodePayload(), ContentType, gateway);

    /// <summary>The meter accepts 1..256 UTF-8 bytes; longer details are cut at a character boundary.</summary>
    public static string FitReason(string reason)
    {
        if (string.IsNullOrEmpty(reason)) return "rejected";
        if (Encoding.UTF8.GetByteCount(reason) <= MaxReasonBytes) return reason;
        var cut = new StringBuilder();
        int bytes = 0;
        foreach (Rune rune in reason.EnumerateRunes())
        {
            if (bytes + rune.Utf8SequenceLength > MaxReasonBytes) break;
            bytes += rune.Utf8SequenceLength;
            cut.Append(rune.ToString());
        }
        return cut.ToString();
    }

    public override string ToString() =>
        $"meter={MeterId} seq={Sequence} status={Status} height={BlockHeight} index={TxIndex}" + (Reason is null ? "" : $" reason=\"{Reason}\"");
}
