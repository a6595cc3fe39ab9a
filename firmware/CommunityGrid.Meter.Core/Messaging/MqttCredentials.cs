using System;
using CommunityGrid.Protocol.Bytes;
using CommunityGrid.Protocol.Crypto;

namespace CommunityGrid.Meter.Messaging
{
    /// <summary>
    /// Per-meter MQTT credentials derived from the meter's own key, so a broker needs no shared secret: the username
    /// is the meter id and the password the lower-case hex of the Ed25519 signature over the UTF-8 bytes of
    /// "communitygrid-mqtt-v1|{chainId}|{meterId}". Ed25519 is deterministic, so the password never changes, and the
    /// gateway checks it with the meter's enrolled public key.
    /// </summary>
    /// <remarks>
    /// It proves the key holder signed this statement once, not that the connection is fresh: anyone who saw the password
    /// can replay it, exactly as with a stored password. That is why the broker link should use TLS; readings are
    /// signed one by one anyway, so a replayed login can publish nothing the gateway would accept.
    /// </remarks>
    public static class MqttCredentials
    {
        public const string ContextPrefix = "communitygrid-mqtt-v1";

        /// <summary>The statement that is signed.</summary>
        public static string Context(string chainId, string meterId)
        {
            ArgumentNullException.ThrowIfNull(chainId);
            ArgumentNullException.ThrowIfNull(meterId);
            return ContextPrefix + "|" + chainId + "|" + meterId;
        }

        public static string Username(string meterId)
        {
            ArgumentNullException.ThrowIfNull(meterId);
            return meterId;
        }

        /// <returns>128 lower-case hex digits.</returns>
        public static string Password(string chainId, string meterId, byte[] meterSeed)
        {
            return Hex.Encode(Ed25519.Sign(meterSeed, Utf8.Encode(Context(chainId, meterId))));
        }

        /// <summary>The gateway's check: exactly 128 lower-case hex digits forming a valid signature by the enrolled key.</summary>
        public static bool Check(string chainId, string meterId, byte[] enrolledPublicKey, string password)
        {
            ArgumentNullException.ThrowIfNull(enrolledPublicKey);
            ArgumentNullException.ThrowIfNull(password);
            if (password.Length != 2 * Ed25519.SignatureSize) return false;
            char[] chars = password.ToCharArray();
            for (int i = 0; i < chars.Length; i++)
            {
                char c = chars[i];
                // Upper case is refused: the password has one spelling, so a broker may compare it as a plain string.
                if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
            }
            return Ed25519.Verify(enrolledPublicKey, Utf8.Encode(Context(chainId, meterId)), Hex.Decode(password));
        }
    }
}
