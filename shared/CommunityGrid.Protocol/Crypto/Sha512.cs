using System;

namespace CommunityGrid.Protocol.Crypto
{
    /// <summary>
    /// SHA-512 (FIPS 180-4). Hand-written because the meter's nanoFramework mscorlib has no
    /// System.Security.Cryptography; the gateway runs the same code so both sides hash identically.
    /// </summary>
    /// <remarks>
    /// Not thread-safe. <see cref="Finish"/> returns the digest and resets the instance to the empty
    /// message, so it can be reused for the next one.
    /// </remarks>
    public sealed class Sha512
    {
        public const int HashSize = 64;
        private const int BlockSize = 128;

        // FIPS 180-4 §5.3.5: first 64 bits of the fractional parts of the square roots of the first 8 primes.
        private static readonly ulong[] InitialState =
        {
            0x6a09e667f3bcc908, 0xbb67ae8584caa73b, 0x3c6ef372fe94f82b, 0xa54ff53a5f1d36f1,
            0x510e527fade682d1, 0x9b05688c2b3e6c1f, 0x1f83d9abfb41bd6b, 0x5be0cd19137e2179,
        };

        // FIPS 180-4 §4.2.3: first 64 bits of the fractional parts of the cube roots of the first 80 primes.
        private static readonly ulong[] RoundConstants =
        {
            0x428a2f98d728ae22, 0x7137449123ef65cd, 0xb5c0fbcfec4d3b2f, 0xe9b5dba58189dbbc,
            0x3956c25bf348b538, 0x59f111f1b605d019, 0x923f82a4af194f9b, 0xab1c5ed5da6d8118,
            0xd807aa98a3030242, 0x12835b0145706fbe, 0x243185be4ee4b28c, 0x550c7dc3d5ffb4e2,
            0x72be5d74f27b896f, 0x80deb1fe3b1696b1, 0x9bdc06a725c71235, 0xc19bf174cf692694,
            0xe49b69c19ef14ad2, 0xefbe4786384f25e3, 0x0fc19dc68b8cd5b5, 0x240ca1cc77ac9c65,
            0x2de92c6f592b0275, 0x4a7484aa6ea6e483, 0x5cb0a9dcbd41fbd4, 0x76f988da831153b5,
            0x983e5152ee66dfab, 0xa831c66d2db43210, 0xb00327c898fb213f, 0xbf597fc7beef0ee4,
            0xc6e00bf33da88fc2, 0xd5a79147930aa725, 0x06ca6351e003826f, 0x142929670a0e6e70,
            0x27b70a8546d22ffc, 0x2e1b21385c26c926, 0x4d2c6dfc5ac42aed, 0x53380d139d95b3df,
            0x650a73548baf63de, 0x766a0abb3c77b2a8, 0x81c2c92e47edaee6, 0x92722c851482353b,
            0xa2bfe8a14cf10364, 0xa81a664bbc423001, 0xc24b8b70d0f89791, 0xc76c51a30654be30,
            0xd192e819d6ef5218, 0xd69906245565a910, 0xf40e35855771202a, 0x106aa07032bbd1b8,
            0x19a4c116b8d2d0c8, 0x1e376c085141ab53, 0x2748774cdf8eeb99, 0x34b0bcb5e19b48a8,
            0x391c0cb3c5c95a63, 0x4ed8aa4ae3418acb, 0x5b9cca4f7763e373, 0x682e6ff3d6b2b8a3,
            0x748f82ee5defb2fc, 0x78a5636f43172f60, 0x84c87814a1f0ab72, 0x8cc702081a6439ec,
            0x90befffa23631e28, 0xa4506cebde82bde9, 0xbef9a3f7b2c67915, 0xc67178f2e372532b,
            0xca273eceea26619c, 0xd186b8c721c0c207, 0xeada7dd6cde0eb1e, 0xf57d4f7fee6ed178,
            0x06f067aa72176fba, 0x0a637dc5a2c898a6, 0x113f9804bef90dae, 0x1b710b35131c471b,
            0x28db77f523047d84, 0x32caab7b40c72493, 0x3c9ebe0a15c9bebc, 0x431d67c49c100d4c,
            0x4cc5d4becb3e42b6, 0x597f299cfc657e2a, 0x5fcb6fab3ad6faec, 0x6c44198c4a475817,
        };

        private readonly ulong[] _state = new ulong[8];
        private readonly ulong[] _schedule = new ulong[80];
        private readonly byte[] _block = new byte[BlockSize];
        private int _blockLength;
        private long _messageLength;

        public Sha512()
        {
            Reset();
        }

        public static byte[] Hash(byte[] data)
        {
            ArgumentNullException.ThrowIfNull(data);
            return Hash(data, 0, data.Length);
        }

        public static byte[] Hash(byte[] data, int offset, int count)
        {
            Sha512 sha = new Sha512();
            sha.Append(data, offset, count);
            return sha.Finish();
        }

        public void Append(byte[] data)
        {
            ArgumentNullException.ThrowIfNull(data);
            Append(data, 0, data.Length);
        }

        public void Append(byte[] data, int offset, int count)
        {
            ArgumentNullException.ThrowIfNull(data);
            if (offset < 0 || count < 0 || offset > data.Length - count)
            {
                throw new ArgumentOutOfRangeException(nameof(count), "range [" + offset + ", +" + count + ") lies outside an array of " + data.Length + " bytes");
            }
            _messageLength += count;
            while (count > 0)
            {
                if (_blockLength == 0 && count >= BlockSize)
                {
                    Compress(data, offset);
                    offset += BlockSize;
                    count -= BlockSize;
                    continue;
                }
                int take = BlockSize - _blockLength;
                if (take > count) take = count;
                Array.Copy(data, offset, _block, _blockLength, take);
                _blockLength += take;
                offset += take;
                count -= take;
                if (_blockLength == BlockSize)
                {
                    Compress(_block, 0);
                    _blockLength = 0;
                }
            }
        }

        /// <summary>Returns the digest of everything appended since construction or the last Finish, then resets.</summary>
        public byte[] Finish()
        {
            long bitLength = _messageLength * 8;
            // The length field is 128 bits; its top 64 bits hold what the shift above dropped.
            long bitLengthHigh = (long)((ulong)_messageLength >> 61);
            _block[_blockLength++] = 0x80;
            if (_blockLength > BlockSize - 16)
            {
                Array.Clear(_block, _blockLength, BlockSize - _blockLength);
                Compress(_block, 0);
                _blockLength = 0;
            }
            Array.Clear(_block, _blockLength, BlockSize - 16 - _blockLength);
            for (int i = 0; i < 8; i++)
            {
                _block[BlockSize - 1 - i] = (byte)(bitLength >> (8 * i));
                _block[BlockSize - 9 - i] = (byte)(bitLengthHigh >> (8 * i));
            }
            Compress(_block, 0);

            byte[] digest = new byte[HashSize];
            for (int i = 0; i < 8; i++)
            {
                ulong word = _state[i];
                for (int j = 0; j < 8; j++)
                {
                    digest[8 * i + j] = (byte)(word >> (56 - 8 * j));
                }
            }
            Reset();
            return digest;
        }

        private void Reset()
        {
            Array.Copy(InitialState, _state, 8);
            // The buffer may hold secret material (e.g. a key being hashed): do not leave it behind.
            Array.Clear(_block, 0, BlockSize);
            Array.Clear(_schedule, 0, _schedule.Length);
            _blockLength = 0;
            _messageLength = 0;
        }

        private static ulong RotateRight(ulong x, int n) => (x >> n) | (x << (64 - n));

        private void Compress(byte[] block, int offset)
        {
            ulong[] w = _schedule;
            for (int t = 0; t < 16; t++)
            {
                ulong word = 0;
                for (int j = 0; j < 8; j++)
                {
                    word = (word << 8) | block[offset + 8 * t + j];
                }
                w[t] = word;
            }
            for (int t = 16; t < 80; t++)
            {
                ulong s0 = RotateRight(w[t - 15], 1) ^ RotateRight(w[t - 15], 8) ^ (w[t - 15] >> 7);
                ulong s1 = RotateRight(w[t - 2], 19) ^ RotateRight(w[t - 2], 61) ^ (w[t - 2] >> 6);
                w[t] = w[t - 16] + s0 + w[t - 7] + s1;
            }

            ulong a = _state[0], b = _state[1], c = _state[2], d = _state[3];
            ulong e = _state[4], f = _state[5], g = _state[6], h = _state[7];
            for (int t = 0; t < 80; t++)
            {
                ulong bigSigma1 = RotateRight(e, 14) ^ RotateRight(e, 18) ^ RotateRight(e, 41);
                ulong choose = (e & f) ^ (~e & g);
                ulong t1 = h + bigSigma1 + choose + RoundConstants[t] + w[t];
                ulong bigSigma0 = RotateRight(a, 28) ^ RotateRight(a, 34) ^ RotateRight(a, 39);
                ulong majority = (a & b) ^ (a & c) ^ (b & c);
                ulong t2 = bigSigma0 + majority;
                h = g;
                g = f;
                f = e;
                e = d + t1;
                d = c;
                c = b;
                b = a;
                a = t1 + t2;
            }
            _state[0] += a;
            _state[1] += b;
            _state[2] += c;
            _state[3] += d;
            _state[4] += e;
            _state[5] += f;
            _state[6] += g;
            _state[7] += h;
        }
    }
}
