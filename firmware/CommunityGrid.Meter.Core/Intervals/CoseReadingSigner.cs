using System;
using CommunityGrid.Protocol.Cose;
using CommunityGrid.Protocol.Crypto;
using CommunityGrid.Protocol.Readings;

namespace CommunityGrid.Meter.Intervals
{
    /// <summary>Signs readings as COSE_Sign1 (EdDSA) with the device's 32-byte Ed25519 seed, its key derived once.</summary>
    public sealed class CoseReadingSigner : IReadingSigner
    {
        private readonly Ed25519SigningKey _key;

        /// <exception cref="ArgumentException">the seed is not 32 bytes.</exception>
        public CoseReadingSigner(byte[] seed)
        {
            ArgumentNullException.ThrowIfNull(seed);
            if (seed.Length != 32) throw new ArgumentException("an Ed25519 seed is 32 bytes, got " + seed.Length, nameof(seed));
            // Derived once here, not twice per reading (kid and signature): a base-point multiplication each, seconds
            // of interpreted code on the ESP32. The key keeps no reference to the caller's buffer.
            _key = Ed25519SigningKey.FromSeed(seed);
        }

        public byte[] Sign(MeterReading reading)
        {
            return SignedReading.Create(reading, _key);
        }
    }
}
