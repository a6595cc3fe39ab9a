using System;
using System.IO;
using CommunityGrid.Meter.Linux.Storage;
using CommunityGrid.Meter.Queue;
using CommunityGrid.Meter.Storage;

namespace CommunityGrid.Meter.Linux.Tests.Storage;

public sealed class DirectoryFileStoreTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("cg-store-").FullName;

    [Fact]
    public void Append_write_read_rename_and_delete_follow_the_interface_contract()
    {
        var store = new DirectoryFileStore(_directory);
        Assert.False(store.Exists("log"));
        store.Append("log", new byte[] { 1, 2, 3, 4 }, 1, 2);
        store.Append("log", new byte[] { 5 }, 0, 1);
        Assert.Equal(new byte[] { 2, 3, 5 }, store.ReadAll("log"));

        store.WriteAll("slot", new byte[] { 9, 9 });
        store.WriteAll("slot", new byte[] { 7 });
        Assert.Equal(new byte[] { 7 }, store.ReadAll("slot"));
        Assert.Empty(Directory.GetFiles(_directory, "*.tmp"));

        Assert.Throws<StorageException>(() => store.Rename("slot", "log"));
        Assert.Throws<StorageException>(() => store.Rename("missing", "other"));
        store.Rename("slot", "moved");
        Assert.False(store.Exists("slot"));
        Assert.Equal(new byte[] { 7 }, store.ReadAll("moved"));

        store.Delete("moved");
        store.Delete("moved");
        Assert.Throws<StorageException>(() => store.ReadAll("moved"));
    }

    [Theory]
    [InlineData("../escape")]
    [InlineData("a/b")]
    [InlineData("..")]
    [InlineData("")]
    [InlineData("x.tmp")]
    public void Names_that_could_leave_the_directory_or_collide_with_temporaries_are_refused(string name)
    {
        var store = new DirectoryFileStore(_directory);
        Assert.Throws<ArgumentException>(() => store.WriteAll(name, new byte[1]));
    }

    [Fact]
    public void A_temporary_left_by_a_crash_mid_replace_is_removed_and_the_old_contents_stay()
    {
        var store = new DirectoryFileStore(_directory);
        store.WriteAll("seq.0", new byte[] { 1 });
        File.WriteAllBytes(Path.Combine(_directory, "seq.0.tmp"), new byte[] { 2, 2 });
        var reopened = new DirectoryFileStore(_directory);
        Assert.Equal(new byte[] { 1 }, reopened.ReadAll("seq.0"));
        Assert.False(File.Exists(Path.Combine(_directory, "seq.0.tmp")));
    }

    [Fact]
    public void The_core_queue_runs_on_it_and_survives_reopening()
    {
        var queue = new ReadingQueue(new DirectoryFileStore(_directory), new QueueOptions());
        queue.Open();
        for (int sequence = 1; sequence <= 40; sequence++) queue.Append(sequence, new byte[] { (byte)sequence, 0xAB });
        Assert.True(queue.Acknowledge(25));

        var reopened = new ReadingQueue(new DirectoryFileStore(_directory), new QueueOptions());
        reopened.Open();
        Assert.Equal(15, reopened.Count);
        Assert.Equal(26, reopened.Peek()!.Sequence);
        Assert.Equal(40, reopened.HighestSequence);
        Assert.Equal(0, reopened.DamageCount);
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
