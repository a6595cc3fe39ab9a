using System;

namespace CommunityGrid.Node.Ingest;

/// <summary>
/// How a move signer logs in to a gateway's broker to leave move instructions for meters (docs/protocol.md §7.5):
/// username <c>signer-{public key, 64 lower-case hex}</c> (longer than any meter id, so never one), client id
/// <c>cgrid-signer-{same hex}</c>, password derived from the key as a meter's is (<see cref="MqttPassword"/>, with the
/// username in the meter id's place). The key must be an installer or gateway key of the chain.
/// </summary>
public static class MoveSignerLogin
{
    public const string UsernamePrefix = "signer-";
    public const string ClientIdPrefix = "cgrid-signer-";
    internal const string SessionItem = "communitygrid.move-signer";

    public static string Username(byte[] publicKey) => UsernamePrefix + Convert.ToHexStringLower(publicKey);

    /// <summary>The key a signer username names, or null when the username is not a signer's.</summary>
    public static byte[]? KeyOf(string username)
    {
        if (!username.StartsWith(UsernamePrefix, StringComparison.Ordinal) || username.Length != UsernamePrefix.Length + 64) return null;
        string hex = username[UsernamePrefix.Length..];
        foreach (char c in hex)
        {
            if (!(c is >= '0' and <= '9' or >= 'a' and <= 'f')) return null;
        }
        return Convert.FromHexString(hex);
    }
}
