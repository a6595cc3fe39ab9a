using System.Collections.Generic;
using System.Formats.Cbor;
using CommunityGrid.Formats.Cose;
using CommunityGrid.Formats.Signing;

namespace CommunityGrid.Node.Moves;

/// <summary>
/// A signed instruction that moves a meter to its house's new chain (docs/protocol.md §7.5): payload {1: the chain the
/// meter is on, 2: meter id, 3: new chain id, 4: first interval start for the new chain, 5: the new chain's gateway
/// keys, 6: its brokers' URLs} in deterministic CBOR, carried as a COSE_Sign1 with <see cref="ContentType"/>. Written
/// here with System.Formats.Cbor and read on the meter by its own portable decoder; tests hold the two together.
/// </summary>
public sealed record MeterMoveInstruction(string ChainId, string MeterId, string NewChainId, long FromIntervalStart,
    IReadOnlyList<byte[]> NewGatewayKeys, IReadOnlyList<string> NewBrokers)
{
    public const string ContentType = "application/vnd.communitygrid.move+cbor";

    public byte[] EncodePayload()
    {
        var w = new CborWriter(CborConformanceMode.Canonical);
        w.WriteStartMap(6);
        w.WriteInt32(1); w.WriteTextString(ChainId);
        w.WriteInt32(2); w.WriteTextString(MeterId);
        w.WriteInt32(3); w.WriteTextString(NewChainId);
        w.WriteInt32(4); w.WriteInt64(FromIntervalStart);
        w.WriteInt32(5);
        w.WriteStartArray(NewGatewayKeys.Count);
        foreach (byte[] key in NewGatewayKeys) w.WriteByteString(key);
        w.WriteEndArray();
        w.WriteInt32(6);
        w.WriteStartArray(NewBrokers.Count);
        foreach (string broker in NewBrokers) w.WriteTextString(broker);
        w.WriteEndArray();
        w.WriteEndMap();
        return w.Encode();
    }

    public byte[] Sign(Ed25519Signer signer) => CoseSign1Codec.Sign(EncodePayload(), ContentType, signer);
}
