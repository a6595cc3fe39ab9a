using System;

namespace CommunityGrid.Protocol.Crypto
{
    /// <summary>
    /// SHA-256 (FIPS 180-4). Hand-written because the meter's nanoFramework mscorlib has no
    /// System.Security.Cryptography; the gateway runs the same code so both sides hash identically.
    /// </summary>
    /// <remarks>
    /// Not thread-safe. <see cref="Finish"/> returns the digest and resets the instance to the empty
    /// message, so it can be reused for the next one.
    /// </remarks>
    public sealed class Sha256
    {
        public const int HashSize = 32;
        private const int BlockSize = 64;

        // FIPS 180-4 §5.3.3: first 32 bits of the fractional parts of the square roots of the first 8 primes.
        private static readonly uint[] InitialState =
        {
            0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
            0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
        };

        // FIPS 180-4 §4.2.2: first 32 bits of the fractional parts of the cube roots of the first 64 primes.
        private static readonly uint[] RoundConstants =
        {
            0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
            0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
            0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
            0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
            0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
            0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
            0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
            0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
        };

        private readonly uint[] _state = new uint[8];
        private readonly uint[] _schedule = new uint[64];
        private readonly byte[] _block = new byte[BlockSize];
        private int _blockLength;
        private long _messageLength;

        public Sha256()
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
            Sha256 sha = new Sha256();
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
            _block[_blockLength++] = 0x80;
            if (_blockLength > BlockSize - 8)
            {
                Array.Clear(_block, _blockLength, BlockSize - _blockLength);
                Compress(_block, 0);
                _blockLength = 0;
            }
            Array.Clear(_block, _blockLength, BlockSize - 8 - _blockLength);
            for (int i = 0; i < 8; i++)
            {
                _block[BlockSize - 1 - i] = (byte)(bitLength >> (8 * i));
            }
            Compress(_block, 0);

            byte[] digest = new byte[HashSize];
            for (int i = 0; i < 8; i++)
            {
                uint word = _state[i];
                digest[4 * i] = (byte)(word >> 24);
                digest[4 * i + 1] = (byte)(word >> 16);
                digest[4 * i + 2] = (byte)(word >> 8);
                digest[4 * i + 3] = (byte)word;
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

        private static uint RotateRight(uint x, int n) => (x >> n) | (x << (32 - n));

        private void Compress(byte[] block, int offset)
        {
            uint[] w = _schedule;
            for (int t = 0; t < 16; t++)
            {
                int i = offset + 4 * t;
                w[t] = ((uint)block[i] << 24) | ((uint)block[i + 1] << 16) | ((uint)block[i + 2] << 8) | block[i + 3];
            }
            for (int t = 16; t < 64; t++)
            {
                uint s0 = RotateRight(w[t - 15], 7) ^ RotateRight(w[t - 15], 18) ^ (w[t - 15] >> 3);
                uint s1 = RotateRight(w[t - 2], 17) ^ RotateRight(w[t - 2], 19) ^ (w[t - 2] >> 10);
                w[t] = w[t - 16] + s0 + w[t - 7] + s1;
            }

            uint a = _state[0], b = _state[1], c = _state[2], d = _state[3];
            uint e = _state[4], f = _state[5], g = _state[6], h = _state[7];
            for (int t = 0; t < 64; t++)
            {
                uint bigSigma1 = RotateRight(e, 6) ^ RotateRight(e, 11) ^ RotateRight(e, 25);
                uint choose = (e & f) ^ (~e & g);
                uint t1 = h + bigSigma1 + choose + RoundConstants[t] + w[t];
                uint bigSigma0 = RotateRight(a, 2) ^ RotateRight(a, 13) ^ RotateRight(a, 22);
                uint majority = (a & b) ^ (a & c) ^ (b & c);
                uint t2 = bigSigma0 + majority;
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
