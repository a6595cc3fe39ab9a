using System;
using System.Formats.Cbor;
using System.Text;
using CommunityGrid.Formats.Cose;
using CommunityGrid.Formats.Signing;

namespace CommunityGrid.Meter.Linux.Tests.Gateway;

/// <summary>
/// The gateway's side of the downlink formats, written independently of the meter's portable code: CBOR through
/// System.Formats.Cbor (canonical mode; all keys are below 24, where it agrees with RFC 8949 §4.2.1), COSE_Sign1 and
/// Ed25519 through the gateway's codec and NSec. Tests hold the two sides to identical bytes.
/// </summary>
public static class GatewayMessages
{
    public const string AckContentType = "application/vnd.communitygrid.ack+cbor";
    public const string DisplayContentType = "application/vnd.communitygrid.display+cbor";

    public sealed record Ack(string ChainId, string MeterId, long Sequence, int Status, long BlockHeight, long TxIndex, string? Reason);

    public sealed record DisplayData(string ChainId, string MeterId, long Price, long Balance, long LastBlockHeight);

    public static byte[] AckPayload(Ack ack)
    {
        var writer = new CborWriter(CborConformanceMode.Canonical);
        writer.WriteStartMap(ack.Reason is null ? 6 : 7);
        writer.WriteInt32(1);
        writer.WriteTextString(ack.ChainId);
        writer.WriteInt32(2);
        writer.WriteTextString(ack.MeterId);
        writer.WriteInt32(3);
        writer.WriteUInt64((ulong)ack.Sequence);
        writer.WriteInt32(4);
        writer.WriteUInt64((ulong)ack.Status);
        writer.WriteInt32(5);
        writer.WriteUInt64((ulong)ack.BlockHeight);
        writer.WriteInt32(6);
        writer.WriteUInt64((ulong)ack.TxIndex);
        if (ack.Reason is not null)
        {
            writer.WriteInt32(7);
            writer.WriteTextString(ack.Reason);
        }
        writer.WriteEndMap();
        return writer.Encode();
    }

    public static Ack ReadAckPayload(byte[] payload)
    {
        var reader = new CborReader(payload, CborConformanceMode.Canonical);
        int? pairs = reader.ReadStartMap();
        string chain = "", meter = "";
        string? reason = null;
        long sequence = 0, status = 0, height = 0, tx = 0;
        for (int i = 0; i < pairs; i++)
        {
            switch (reader.ReadUInt32())
            {
                case 1: chain = reader.ReadTextString(); break;
                case 2: meter = reader.ReadTextString(); break;
                case 3: sequence = (long)reader.ReadUInt64(); break;
                case 4: status = (long)reader.ReadUInt64(); break;
                case 5: height = (long)reader.ReadUInt64(); break;
                case 6: tx = (long)reader.ReadUInt64(); break;
                case 7: reason = reader.ReadTextString(); break;
                default: throw new FormatException("unknown ack key");
            }
        }
        reader.ReadEndMap();
        if (reader.BytesRemaining != 0) throw new FormatException("bytes after the ack map");
        return new Ack(chain, meter, sequence, (int)status, height, tx, reason);
    }

    public static byte[] DisplayPayload(DisplayData data)
    {
        var writer = new CborWriter(CborConformanceMode.Canonical);
        writer.WriteStartMap(5);
        writer.WriteInt32(1);
        writer.WriteTextString(data.ChainId);
        writer.WriteInt32(2);
        writer.WriteTextString(data.MeterId);
        writer.WriteInt32(3);
        writer.WriteInt64(data.Price);
        writer.WriteInt32(4);
        writer.WriteInt64(data.Balance);
        writer.WriteInt32(5);
        writer.WriteUInt64((ulong)data.LastBlockHeight);
        writer.WriteEndMap();
        return writer.Encode();
    }

    public static byte[] SignAck(Ack ack, Ed25519Signer gateway) => CoseSign1Codec.Sign(AckPayload(ack), AckContentType, gateway);

    public static byte[] SignDisplay(DisplayData data, Ed25519Signer gateway) => CoseSign1Codec.Sign(DisplayPayload(data), DisplayContentType, gateway);

    /// <summary>What a meter sends as its MQTT password, computed the gateway's way (NSec).</summary>
    public static string MqttPassword(string chainId, string meterId, Ed25519Signer meterKey) =>
        Convert.ToHexStringLower(meterKey.Sign(Encoding.UTF8.GetBytes($"communitygrid-mqtt-v1|{chainId}|{meterId}")));
}
