using System;
using System.Linq;
using System.Security.Cryptography;
using CommunityGrid.Meter.Keys;
using CommunityGrid.Meter.Storage;

namespace CommunityGrid.Meter.Tests.Keys;

public class DeviceKeyStoreTests
{
    [Fact]
    public void The_first_boot_makes_a_seed_from_sha512_of_the_pool_and_later_boots_load_it()
    {
        var store = new MemoryFileStore();
        var entropy = new CountingEntropy();
        var first = new DeviceKeyStore(store, entropy);
        byte[] seed = first.LoadOrCreate();
        Assert.True(first.Created);

        var pool = new byte[DeviceKeyStore.PoolBytes];
        new CountingEntropy().Fill(pool);
        Assert.Equal(SHA512.HashData(pool)[..32], seed);

        for (int boot = 0; boot < 3; boot++)
        {
            var again = new DeviceKeyStore(store, entropy);
            Assert.Equal(seed, again.LoadOrCreate());
            Assert.False(again.Created);
            Assert.Null(again.Repaired);
        }
        Assert.Equal(1, entropy.Draws);
        Assert.Equal(new[] { "device-key.0", "device-key.1" }, store.Names().Order().ToArray());
    }

    [Fact]
    public void A_power_cut_at_any_unit_of_the_first_boot_never_yields_two_different_keys()
    {
        int total = UnitsOfFirstBoot();
        for (int budget = 0; budget <= total; budget++)
        {
            var store = new MemoryFileStore();
            var entropy = new CountingEntropy();
            store.FailAfter(budget);
            byte[]? returned = null;
            try
            {
                returned = new DeviceKeyStore(store, entropy).LoadOrCreate();
            }
            catch (SimulatedPowerLossException)
            {
            }
            store.PowerOn();
            // Any valid key copy left on flash after the cut may have been seen: it must be the one that survives.
            byte[]? onFlash = new AlternatingSlotFile(store, DeviceKeyStore.DefaultName).Load();

            byte[] afterReboot = new DeviceKeyStore(store, entropy).LoadOrCreate();
            if (returned != null) Assert.Equal(returned, afterReboot);
            if (onFlash != null) Assert.Equal(onFlash, afterReboot);
            var final = new DeviceKeyStore(store, entropy);
            Assert.Equal(afterReboot, final.LoadOrCreate());
            Assert.False(final.Created);
            Assert.Null(final.Repaired);
        }
    }

    [Fact]
    public void Once_the_pending_seed_is_parked_the_first_draw_is_the_key_whatever_the_cut()
    {
        int total = UnitsOfFirstBoot();
        byte[] firstDraw = new DeviceKeyStore(new MemoryFileStore(), new CountingEntropy()).LoadOrCreate();
        int parkedAt = -1;
        for (int budget = 0; budget <= total; budget++)
        {
            var store = new MemoryFileStore();
            var entropy = new CountingEntropy(); // shared by both boots: a second draw would give another seed
            store.FailAfter(budget);
            try
            {
                new DeviceKeyStore(store, entropy).LoadOrCreate();
            }
            catch (SimulatedPowerLossException)
            {
            }
            store.PowerOn();
            bool parked = new AlternatingSlotFile(store, DeviceKeyStore.DefaultName + "-pending").Load() != null
                || new AlternatingSlotFile(store, DeviceKeyStore.DefaultName).Load() != null;
            if (parked && parkedAt < 0) parkedAt = budget;
            if (parkedAt >= 0)
            {
                Assert.Equal(firstDraw, new DeviceKeyStore(store, entropy).LoadOrCreate());
                Assert.Equal(1, entropy.Draws);
            }
        }
        Assert.True(parkedAt > 0, "the pending seed is written before the key files");
    }

    [Fact]
    public void A_damaged_key_stops_with_a_message_and_writes_nothing()
    {
        var store = new MemoryFileStore();
        new DeviceKeyStore(store, new CountingEntropy()).LoadOrCreate();
        store.CorruptByte("device-key.0", 20);
        store.CorruptByte("device-key.1", 20);
        byte[] before0 = store.Peek("device-key.0")!;
        var entropy = new CountingEntropy();

        var error = Assert.Throws<DeviceKeyDamagedException>(() => new DeviceKeyStore(store, entropy).LoadOrCreate());
        Assert.Contains("damaged", error.Message);
        Assert.Contains("not making a new identity", error.Message);
        Assert.Contains("re-enrol", error.Message);
        Assert.Equal(0, entropy.Draws);
        Assert.Equal(before0, store.Peek("device-key.0"));
        Assert.Equal(new[] { "device-key.0", "device-key.1" }, store.Names().Order().ToArray());
        Assert.IsAssignableFrom<InvalidOperationException>(error);
    }

    [Fact]
    public void A_lone_torn_key_file_without_a_pending_seed_also_stops()
    {
        var store = new MemoryFileStore();
        new DeviceKeyStore(store, new CountingEntropy()).LoadOrCreate();
        store.Delete("device-key.1");
        store.Truncate("device-key.0", 10);
        Assert.Throws<DeviceKeyDamagedException>(() => new DeviceKeyStore(store, new CountingEntropy()).LoadOrCreate());
    }

    [Fact]
    public void A_key_of_the_wrong_length_stops()
    {
        var store = new MemoryFileStore();
        new AlternatingSlotFile(store, DeviceKeyStore.DefaultName).Save(new byte[16]);
        var error = Assert.Throws<DeviceKeyDamagedException>(() => new DeviceKeyStore(store, new CountingEntropy()).LoadOrCreate());
        Assert.Contains("16 bytes", error.Message);
    }

    [Theory]
    [InlineData("device-key.0")]
    [InlineData("device-key.1")]
    public void One_damaged_copy_is_repaired_from_the_other(string damaged)
    {
        var store = new MemoryFileStore();
        byte[] seed = new DeviceKeyStore(store, new CountingEntropy()).LoadOrCreate();
        store.CorruptByte(damaged, 3);

        var boot = new DeviceKeyStore(store, new CountingEntropy());
        Assert.Equal(seed, boot.LoadOrCreate());
        Assert.NotNull(boot.Repaired);
        Assert.False(boot.Created);

        // Now the other copy can be lost too: the repaired one carries the key.
        store.Delete(damaged == "device-key.0" ? "device-key.1" : "device-key.0");
        Assert.Equal(seed, new DeviceKeyStore(store, new CountingEntropy()).LoadOrCreate());
    }

    [Fact]
    public void Different_entropy_gives_different_keys()
    {
        byte[] a = new DeviceKeyStore(new MemoryFileStore(), new CountingEntropy()).LoadOrCreate();
        var used = new CountingEntropy();
        used.Fill(new byte[7]);
        byte[] b = new DeviceKeyStore(new MemoryFileStore(), used).LoadOrCreate();
        Assert.NotEqual(a, b);
    }

    private static int UnitsOfFirstBoot()
    {
        var store = new MemoryFileStore();
        new DeviceKeyStore(store, new CountingEntropy()).LoadOrCreate();
        return (int)store.UnitsUsed;
    }
}
