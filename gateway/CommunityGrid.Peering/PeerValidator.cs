using System;
using System.Globalization;

namespace CommunityGrid.Peering;

/// <summary>
/// One entry of the validator set as the genesis lists it: the Ed25519 public key and the <c>host:port</c> address
/// where that validator's gateway listens for its peers.
/// </summary>
public sealed record PeerValidator(PeerKey Key, string Address)
{
    public static PeerValidator Parse(string publicKeyHex, string address) => new(PeerKey.FromHex(publicKeyHex), address);

    /// <summary>Splits <c>host:port</c> (the host may be a bracketed IPv6 literal).</summary>
    public static (string Host, int Port) SplitAddress(string address)
    {
        ArgumentNullException.ThrowIfNull(address);
        int colon = address.LastIndexOf(':');
        if (colon <= 0 || colon == address.Length - 1)
        {
            throw new FormatException($"a peer address is host:port, not '{address}'");
        }
        string host = address[..colon].Trim('[', ']');
        if (!int.TryParse(address[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out int port) || port is < 1 or > 65535)
        {
            throw new FormatException($"the port of peer address '{address}' is not a number from 1 to 65535");
        }
        return (host, port);
    }
}
