using System;
using CommunityGrid.Protocol.Bytes;
using CommunityGrid.Protocol.Cose;
using CommunityGrid.Protocol.Crypto;

namespace CommunityGrid.Meter.Messaging
{
    /// <summary>
    /// The gateway and validator public keys a meter is configured to believe. A message from the gateway counts only
    /// when its COSE kid is one of these keys and its Ed25519 signature verifies under it (portable Ed25519, so the
    /// ESP32 checks exactly as the Linux meter does).
    /// </summary>
    public sealed class TrustedSigners
    {
        private readonly byte[][] _keys;

        /// <exception cref="ArgumentException">no key, or a key that is not 32 bytes.</exception>
        public TrustedSigners(byte[][] publicKeys)
        {
            ArgumentNullException.ThrowIfNull(publicKeys);
            if (publicKeys.Length == 0) throw new ArgumentException("at least one gateway public key is needed to check acknowledgements", nameof(publicKeys));
            _keys = new byte[publicKeys.Length][];
            for (int i = 0; i < publicKeys.Length; i++)
            {
                byte[] key = publicKeys[i];
                if (key == null || key.Length != Ed25519.PublicKeySize)
                {
                    throw new ArgumentException("gateway public key " + i + " must be " + Ed25519.PublicKeySize + " bytes", nameof(publicKeys));
                }
                _keys[i] = new byte[key.Length];
                Array.Copy(key, _keys[i], key.Length);
            }
        }

        /// <summary>The keys of both lists (a move instruction may be signed by a gateway or an installer key).</summary>
        /// <exception cref="ArgumentException">no key, or a key that is not 32 bytes.</exception>
        public TrustedSigners(byte[][] publicKeys, byte[][] morePublicKeys)
            : this(Concat(publicKeys, morePublicKeys))
        {
        }

        public int Count => _keys.Length;

        public bool Contains(byte[] publicKey)
        {
            ArgumentNullException.ThrowIfNull(publicKey);
            for (int i = 0; i < _keys.Length; i++)
            {
                if (SameBytes(_keys[i], publicKey)) return true;
            }
            return false;
        }

        /// <summary>The payload of a COSE_Sign1 of the given content type signed by one of these keys.</summary>
        /// <exception cref="FormatException">not a COSE_Sign1 of this protocol's shape and content type (Cbor/CoseFormatException).</exception>
        /// <exception cref="UntrustedSignerException">the kid is not a trusted key.</exception>
        /// <exception cref="CoseSignatureException">the signature does not verify.</exception>
        public byte[] OpenPayload(byte[] cose, string contentType)
        {
            CoseSign1Message message = CoseSign1.Decode(cose, contentType);
            if (!Contains(message.KeyId))
            {
                throw new UntrustedSignerException("signed by " + Hex.Encode(message.KeyId) + ", which is not a configured gateway key");
            }
            if (!message.VerifySignature())
            {
                throw new CoseSignatureException("the Ed25519 signature does not verify under the gateway key " + Hex.Encode(message.KeyId));
            }
            return message.Payload;
        }

        private static byte[][] Concat(byte[][] a, byte[][] b)
        {
            ArgumentNullException.ThrowIfNull(a);
            ArgumentNullException.ThrowIfNull(b);
            byte[][] all = new byte[a.Length + b.Length][];
            Array.Copy(a, 0, all, 0, a.Length);
            Array.Copy(b, 0, all, a.Length, b.Length);
            return all;
        }

        private static bool SameBytes(byte[] a, byte[] b)
        {
            if (a.Length != b.Length) return false;
            for (int i = 0; i < a.Length; i++)
            {
                if (a[i] != b[i]) return false;
            }
            return true;
        }
    }
}
