using System;
using CommunityGrid.Meter.Storage;
using CommunityGrid.Protocol.Crypto;

namespace CommunityGrid.Meter.Esp32.Setup
{
    /// <summary>
    /// The meter's Ed25519 identity: a 32-byte seed made on first boot and kept on <c>I:\</c> in a checksummed two-slot
    /// file (the core's <see cref="AlternatingSlotFile"/>, files <c>device-key.0</c>/<c>.1</c>). The seed never leaves
    /// the device; the public key is what the installer enrols.
    /// </summary>
    internal static class DeviceKey
    {
        public const string SlotName = "device-key";

        /// <exception cref="InvalidOperationException">key files exist but none is readable: a new key would be a new
        /// identity the chain does not know, so this is left to the installer (hardware/installer-guide.md).</exception>
        public static byte[] LoadOrCreate(IFileStore store, out bool created)
        {
            var slots = new AlternatingSlotFile(store, SlotName);
            byte[]? seed = slots.Load();
            if (seed != null)
            {
                if (seed.Length != Ed25519.SeedSize) throw new InvalidOperationException("device key has " + seed.Length + " bytes, expected 32");
                created = false;
                return seed;
            }
            if (store.Exists(slots.SlotName(0)) || store.Exists(slots.SlotName(1)))
            {
                throw new InvalidOperationException("device key files are damaged (" + slots.Problem + "); not making a new identity");
            }
            seed = Generate();
            slots.Save(seed);
            created = true;
            return seed;
        }

        /// <summary>
        /// On the ESP32 firmware System.Random is the hardware RNG: nf-interpreter's targets/ESP32/_nanoCLR/targetRandom.cpp
        /// implements Next/NextBytes with esp_random() and ignores seeds. ESP-IDF documents esp_random() as true random
        /// while Wi-Fi or Bluetooth is on, so the caller starts Wi-Fi first. 128 RNG bytes (one esp_random() word each)
        /// are condensed with SHA-512 into the 32-byte seed.
        /// </summary>
        private static byte[] Generate()
        {
            var hardwareRng = new Random();
            byte[] pool = new byte[128];
            hardwareRng.NextBytes(pool);
            byte[] digest = Sha512.Hash(pool);
            byte[] seed = new byte[Ed25519.SeedSize];
            Array.Copy(digest, seed, seed.Length);
            Array.Clear(pool, 0, pool.Length);
            Array.Clear(digest, 0, digest.Length);
            return seed;
        }
    }
}
