using System;
using CommunityGrid.Protocol.Cose;
using CommunityGrid.Protocol.Readings;

namespace CommunityGrid.Meter.Intervals
{
    /// <summary>Signs readings as COSE_Sign1 (EdDSA) with the device's 32-byte Ed25519 seed.</summary>
    public sealed class CoseReadingSigner : IReadingSigner
    {
        private readonly byte[] _seed;

        /// <exception cref="ArgumentException">the seed is not 32 bytes.</exception>
        public CoseReadingSigner(byte[] seed)
        {
            ArgumentNullException.ThrowIfNull(seed);
            if (seed.Length != 32) throw new ArgumentException("an Ed25519 seed is 32 bytes, got " + seed.Length, nameof(seed));
            // A private copy: the caller may wipe or reuse its buffer.
            _seed = new byte[32];
            Array.Copy(seed, _seed, 32);
        }

        public byte[] Sign(MeterReading reading)
        {
            return SignedReading.Create(reading, _seed);
        }
    }
}
