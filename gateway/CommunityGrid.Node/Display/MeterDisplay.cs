using System.Formats.Cbor;
using CommunityGrid.Formats.Cose;
using CommunityGrid.Formats.Signing;

namespace CommunityGrid.Node.Display;

/// <summary>
/// What one meter's LCD shows, as the gateway signs it for the meter's retained display topic (docs/protocol.md §7.4):
/// payload {1: chain id, 2: meter id, 3: price, minor units per kWh, 4: the house's balance, minor units,
/// 5: the block height the figures were taken at} in deterministic CBOR, carried as a COSE_Sign1 with content type
/// <see cref="ContentType"/>. Written here with System.Formats.Cbor and read on the meter by its own portable decoder;
/// tests hold the two together.
/// </summary>
public sealed record MeterDisplay(string ChainId, string MeterId, long PriceMinorPerKwh, long BalanceMinor, long Height)
{
    public const string ContentType = "application/vnd.communitygrid.display+cbor";

    public byte[] EncodePayload()
    {
        var w = new CborWriter(CborConformanceMode.Canonical);
        w.WriteStartMap(5);
        w.WriteInt32(1); w.WriteTextString(ChainId);
        w.WriteInt32(2); w.WriteTextString(MeterId);
        w.WriteInt32(3); w.WriteInt64(PriceMinorPerKwh);
        w.WriteInt32(4); w.WriteInt64(BalanceMinor);
        w.WriteInt32(5); w.WriteInt64(Height);
        w.WriteEndMap();
        return w.Encode();
    }

    public byte[] Sign(Ed25519Signer gateway) => CoseSign1Codec.Sign(EncodePayload(), ContentType, gateway);

    /// <summary>Same price and balance: the meter would show nothing new, whatever the height.</summary>
    public bool ShowsSameAs(MeterDisplay other) => PriceMinorPerKwh == other.PriceMinorPerKwh && BalanceMinor == other.BalanceMinor;

    public override string ToString() => $"meter={MeterId} price={PriceMinorPerKwh} balance={BalanceMinor} height={Height}";
}
