using CommunityGrid.Meter.Storage;

namespace CommunityGrid.Meter.Tests.Storage;

public class MemoryFileStoreTests
{
    [Fact]
    public void AppendCreatesAndExtends()
    {
        var store = new MemoryFileStore();
        Assert.False(store.Exists("a"));
        store.Append("a", new byte[] { 9, 1, 2 }, 1, 2);
        store.Append("a", new byte[] { 3 }, 0, 1);
        Assert.Equal(new byte[] { 1, 2, 3 }, store.ReadAll("a"));
    }

    [Fact]
    public void ReadingAMissingFileThrows()
    {
        Assert.Throws<StorageException>(() => new MemoryFileStore().ReadAll("missing"));
    }

    [Fact]
    public void PowerCutDuringAppendKeepsThePrefixAndBlocksEverythingUntilPowerOn()
    {
        var store = new MemoryFileStore();
        store.Append("a", new byte[] { 1 }, 0, 1);
        store.FailAfter(2);
        Assert.Throws<SimulatedPowerLossException>(() => store.Append("a", new byte[] { 2, 3, 4, 5 }, 0, 4));
        Assert.True(store.IsPoweredOff);
        Assert.Throws<SimulatedPowerLossException>(() => store.Exists("a"));
        store.PowerOn();
        Assert.Equal(new byte[] { 1, 2, 3 }, store.ReadAll("a"));
    }

    [Fact]
    public void PowerCutDuringWriteAllLeavesAPrefixOfTheNewContent()
    {
        var store = new MemoryFileStore();
        store.WriteAll("a", new byte[] { 7, 7, 7, 7 });
        store.FailAfter(0);
        Assert.Throws<SimulatedPowerLossException>(() => store.WriteAll("a", new byte[] { 1, 2 }));
        store.PowerOn();
        Assert.Equal(new byte[] { 7, 7, 7, 7 }, store.ReadAll("a"));

        store.FailAfter(2);
        Assert.Throws<SimulatedPowerLossException>(() => store.WriteAll("a", new byte[] { 1, 2, 3 }));
        store.PowerOn();
        Assert.Equal(new byte[] { 1 }, store.ReadAll("a"));
    }

    [Fact]
    public void DeleteAndRenameFollowNanoFrameworkRules()
    {
        var store = new MemoryFileStore();
        store.Delete("nothing");
        store.WriteAll("a", new byte[] { 1 });
        store.WriteAll("b", new byte[] { 2 });
        Assert.Throws<StorageException>(() => store.Rename("a", "b"));
        Assert.Throws<StorageException>(() => store.Rename("x", "y"));
        store.Delete("b");
        store.Rename("a", "b");
        Assert.False(store.Exists("a"));
        Assert.Equal(new byte[] { 1 }, store.ReadAll("b"));
    }

    [Fact]
    public void UnitsCountBytesAndMetadataOperations()
    {
        var store = new MemoryFileStore();
        store.WriteAll("a", new byte[] { 1, 2, 3 });
        store.Delete("a");
        Assert.Equal(1 + 3 + 1, store.UnitsUsed);
    }

    [Fact]
    public void CloneIsIndependent()
    {
        var store = new MemoryFileStore();
        store.WriteAll("a", new byte[] { 1 });
        MemoryFileStore copy = store.Clone();
        copy.CorruptByte("a", 0);
        Assert.Equal(new byte[] { 1 }, store.ReadAll("a"));
        Assert.Equal(new byte[] { 0xFE }, copy.ReadAll("a"));
    }
}
