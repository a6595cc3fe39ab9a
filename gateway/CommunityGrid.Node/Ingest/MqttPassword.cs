using System;
using System.Text;
using CommunityGrid.Formats.Signing;

namespace CommunityGrid.Node.Ingest;

/// <summary>
/// The gateway's check of a meter's MQTT password (docs/protocol.md, "MQTT topics"): 128 lower-case hex digits
/// of the Ed25519 signature by the meter's enrolled key over UTF-8 "communitygrid-mqtt-v1|{chainId}|{meterId}".
/// The broker therefore needs no password list: the chain's enrolment is the list.
/// </summary>
public static class MqttPassword
{
    public const string ContextPrefix = "communitygrid-mqtt-v1";

    public static byte[] Statement(string chainId, string meterId) => Encoding.UTF8.GetBytes($"{ContextPrefix}|{chainId}|{meterId}");

    public static bool Check(string chainId, string meterId, byte[] enrolledKey, string? password)
    {
        if (password is null || password.Length != 2 * Ed25519Signer.SignatureSize) return false;
        foreach (char c in password)
        {
            // One spelling only (lower case), so an external broker can compare it as a plain string too.
            if (!(c is >= '0' and <= '9' or >= 'a' and <= 'f')) return false;
        }
        return Ed25519Verifier.Verify(enrolledKey, Statement(chainId, meterId), Convert.FromHexString(password));
    }

    /// <summary>The password a meter with <paramref name="meterKey"/> logs in with (tests, tools and the Mosquitto password file).</summary>
    public static string For(string chainId, string meterId, Ed25519Signer meterKey) =>
        Convert.ToHexStringLower(meterKey.Sign(Statement(chainId, meterId)));
}
