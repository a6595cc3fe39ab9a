using System;
using CommunityGrid.Meter.Storage;
using CommunityGrid.Protocol.Crypto;

namespace CommunityGrid.Meter.Keys
{
    /// <summary>
    /// The meter's Ed25519 seed: made once, then loaded on every boot, never silently replaced. The key lives in an
    /// <see cref="AlternatingSlotFile"/> (<c>name.0</c>/<c>name.1</c>) written twice, so each file is a full copy and
    /// one damaged copy is repaired from the other. A new seed is first parked in a pending slot file
    /// (<c>name-pending.*</c>) and only then written as the key: if the power fails while the key files are first
    /// written, the next boot finishes with the parked seed instead of mistaking the torn key file for a damaged key.
    /// </summary>
    /// <remarks>
    /// Boot cases: a valid key copy: use it (repair the other copy). Key files present but none valid: finish the
    /// creation if a valid pending seed exists, else stop (<see cref="DeviceKeyDamagedException"/>). No key files: use a
    /// valid pending seed, else make a new one. A seed is returned only after both copies are on flash, so a key
    /// anyone could have enrolled is never lost to a power cut.
    /// </remarks>
    public sealed class DeviceKeyStore
    {
        public const string DefaultName = "device-key";
        /// <summary>RNG bytes condensed into one seed: 128 esp_random() draws, far more entropy than the 32-byte seed needs.</summary>
        public const int PoolBytes = 128;

        private readonly IFileStore _store;
        private readonly IEntropySource _entropy;
        private readonly AlternatingSlotFile _key;
        private readonly AlternatingSlotFile _pending;

        public DeviceKeyStore(IFileStore store, IEntropySource entropy, string name)
        {
            ArgumentNullException.ThrowIfNull(store);
            ArgumentNullException.ThrowIfNull(entropy);
            ArgumentNullException.ThrowIfNull(name);
            _store = store;
            _entropy = entropy;
            _key = new AlternatingSlotFile(store, name);
            _pending = new AlternatingSlotFile(store, name + "-pending");
        }

        public DeviceKeyStore(IFileStore store, IEntropySource entropy) : this(store, entropy, DefaultName)
        {
        }

        /// <summary>True when the last <see cref="LoadOrCreate"/> made the key (the installer must enrol it).</summary>
        public bool Created { get; private set; }

        /// <summary>A damaged copy found (and rewritten) by the last <see cref="LoadOrCreate"/>, or null.</summary>
        public string? Repaired { get; private set; }

        /// <summary>The 32-byte seed, made on first call. Call it after Wi-Fi is up on the ESP32 (see IEntropySource).</summary>
        /// <exception cref="DeviceKeyDamagedException">key files exist but none holds a valid key.</exception>
        public byte[] LoadOrCreate()
        {
            Created = false;
            Repaired = null;
            byte[]? seed = _key.Load();
            if (seed != null && seed.Length != Ed25519.SeedSize)
            {
                throw new DeviceKeyDamagedException("device key file holds " + seed.Length + " bytes, expected " + Ed25519.SeedSize
                    + "; not making a new identity (re-enrol the meter, see hardware/installer-guide.md)");
            }
            if (seed != null)
            {
                if (_key.Problem != null || !BothCopiesExist(_key)) Repair(seed);
                DeletePending();
                return seed;
            }
            byte[]? parked = _pending.Load();
            if (parked != null && parked.Length != Ed25519.SeedSize) parked = null;
            if (parked == null && (_store.Exists(_key.SlotName(0)) || _store.Exists(_key.SlotName(1))))
            {
                throw new DeviceKeyDamagedException("device key files are damaged (" + _key.Problem
                    + "); not making a new identity (re-enrol the meter, see hardware/installer-guide.md)");
            }
            if (parked == null)
            {
                parked = Generate();
                _pending.Save(parked);
            }
            // Two saves: generation 1 in name.0, generation 2 in name.1, each a full copy.
            _key.Save(parked);
            _key.Save(parked);
            DeletePending();
            Created = true;
            return parked;
        }

        private void Repair(byte[] seed)
        {
            Repaired = _key.Problem ?? "one copy of the device key was missing";
            // Save writes the slot that does not hold the newest valid copy: the damaged or missing one.
            _key.Save(seed);
        }

        private bool BothCopiesExist(AlternatingSlotFile slots) => _store.Exists(slots.SlotName(0)) && _store.Exists(slots.SlotName(1));

        private void DeletePending()
        {
            _store.Delete(_pending.SlotName(0));
            _store.Delete(_pending.SlotName(1));
        }

        private byte[] Generate()
        {
            byte[] pool = new byte[PoolBytes];
            _entropy.Fill(pool);
            byte[] digest = Sha512.Hash(pool);
            byte[] seed = new byte[Ed25519.SeedSize];
            Array.Copy(digest, seed, seed.Length);
            Array.Clear(pool, 0, pool.Length);
            Array.Clear(digest, 0, digest.Length);
            return seed;
        }
    }
}
