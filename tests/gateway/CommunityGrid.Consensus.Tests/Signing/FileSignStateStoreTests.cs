using System;
using System.IO;
using System.Linq;
using CommunityGrid.Consensus.Messages;
using CommunityGrid.Consensus.Signing;
using CommunityGrid.Consensus.Tests.Support;

namespace CommunityGrid.Consensus.Tests.Signing;

/// <summary>
/// The file on disk after a kill at every byte of a write: the store's write is one in-place slot write,
/// so a kill leaves a prefix (or, with out-of-order page writeback, a suffix) of the new slot over the
/// old contents of that slot. The restarted store must load the previous state or the new one.
/// </summary>
public class FileSignStateStoreTests
{
    private const string Chain = "street-grid";

    private static SignState State(TestKeys keys, long height, int round, MessageType type, BlockId? id)
    {
        var signer = new GuardedSigner(Chain, keys[0], new MemorySignStateStore());
        byte[] message = type == MessageType.Proposal
            ? signer.SignProposal(height, round, id!, -1, 77)!.Encode()
            : signer.SignVote(type, height, round, id, lockedBlock: TestBlocks.Locked(id))!.Encode();
        return new SignState(height, round, type, message, id is null ? -1 : round, id);
    }

    [Fact]
    public void A_new_file_loads_as_nothing_signed_and_saves_load_back()
    {
        using var directory = new TempDirectory();
        using var keys = new TestKeys(1);
        string path = directory.File("state/sign-state");
        var store = new FileSignStateStore(path);
        Assert.Null(store.Load());
        for (int round = 0; round < 5; round++)
        {
            SignState state = State(keys, 2, round, MessageType.Precommit, new BlockId(Enumerable.Repeat((byte)round, 32).ToArray()));
            store.Save(state);
            Assert.Equal(state.Encode(), new FileSignStateStore(path).Load()!.Encode());
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_write_killed_at_any_byte_loads_as_the_previous_or_the_new_state(bool suffixFirst)
    {
        using var directory = new TempDirectory();
        using var keys = new TestKeys(1);
        string path = directory.File("sign-state");
        var store = new FileSignStateStore(path);
        SignState older = State(keys, 5, 0, MessageType.Prevote, null);
        SignState previous = State(keys, 5, 0, MessageType.Precommit, new BlockId(Enumerable.Repeat((byte)3, 32).ToArray()));
        SignState next = State(keys, 5, 1, MessageType.Prevote, new BlockId(Enumerable.Repeat((byte)4, 32).ToArray()));
        store.Save(older);     // sequence 1, slot 1
        store.Save(previous);  // sequence 2, slot 0
        byte[] before = File.ReadAllBytes(path);
        byte[] slot = FileSignStateStore.EncodeSlot(3, next);
        long offset = FileSignStateStore.SlotOffset(3);  // slot 1: holds `older`, which gets overwritten
        int outcomesNew = 0;
        for (int written = 0; written <= slot.Length; written++)
        {
            byte[] torn = (byte[])before.Clone();
            if (suffixFirst) Array.Copy(slot, slot.Length - written, torn, offset + slot.Length - written, written);
            else Array.Copy(slot, 0, torn, offset, written);
            File.WriteAllBytes(path, torn);
            byte[] loaded = new FileSignStateStore(path).Load()!.Encode();
            bool isNew = loaded.AsSpan().SequenceEqual(next.Encode());
            Assert.True(isNew || loaded.AsSpan().SequenceEqual(previous.Encode()), $"after {written} of {slot.Length} bytes the store loaded neither state");
            // New exactly when every byte of the new slot is on disk (a suffix-first write can complete early
            // where the old slot already held the same bytes, e.g. the magic).
            Assert.Equal(torn.AsSpan((int)offset, slot.Length).SequenceEqual(slot), isNew);
            if (isNew) outcomesNew++;
        }
        Assert.True(outcomesNew >= 1);
    }

    [Fact]
    public void A_killed_first_write_loads_as_nothing_signed_because_nothing_was_released()
    {
        using var directory = new TempDirectory();
        using var keys = new TestKeys(1);
        string path = directory.File("sign-state");
        _ = new FileSignStateStore(path);
        byte[] slot = FileSignStateStore.EncodeSlot(1, State(keys, 1, 0, MessageType.Prevote, null));
        byte[] empty = File.ReadAllBytes(path);
        for (int written = 0; written < slot.Length; written++)
        {
            byte[] torn = (byte[])empty.Clone();
            Array.Copy(slot, 0, torn, FileSignStateStore.SlotOffset(1), written);
            File.WriteAllBytes(path, torn);
            Assert.Null(new FileSignStateStore(path).Load());
        }
    }

    [Fact]
    public void Damage_no_crash_can_cause_is_refused_with_what_to_do()
    {
        using var directory = new TempDirectory();
        using var keys = new TestKeys(1);
        string path = directory.File("sign-state");
        var store = new FileSignStateStore(path);
        store.Save(State(keys, 1, 0, MessageType.Prevote, null));
        store.Save(State(keys, 1, 0, MessageType.Precommit, null));
        byte[] bytes = File.ReadAllBytes(path);
        bytes[20] ^= 0xff;
        bytes[FileSignStateStore.SlotSize + 20] ^= 0xff;
        File.WriteAllBytes(path, bytes);
        Assert.Contains("Restore", Assert.Throws<SignStateException>(() => new FileSignStateStore(path).Load()).Message);
        File.WriteAllBytes(path, new byte[10]);
        Assert.Contains("not a sign-state file", Assert.Throws<SignStateException>(() => new FileSignStateStore(path).Load()).Message);
    }

    [Fact]
    public void A_signer_restarted_after_a_torn_write_never_releases_a_conflicting_message()
    {
        using var directory = new TempDirectory();
        using var keys = new TestKeys(1);
        string path = directory.File("sign-state");
        var signer = new GuardedSigner(Chain, keys[0], new FileSignStateStore(path));
        SignedVote released = signer.SignVote(MessageType.Prevote, 4, 2, new BlockId(Enumerable.Repeat((byte)8, 32).ToArray()))!;
        byte[] durable = File.ReadAllBytes(path);
        // The precommit's write is torn at every byte: it was never released, so the restarted signer may
        // sign anything at the precommit step, but must still refuse to contradict the released prevote.
        SignState precommit = State(keys, 4, 2, MessageType.Precommit, null);
        byte[] slot = FileSignStateStore.EncodeSlot(2, precommit);
        for (int written = 0; written < slot.Length; written += 7)
        {
            byte[] torn = (byte[])durable.Clone();
            Array.Copy(slot, 0, torn, FileSignStateStore.SlotOffset(2), written);
            File.WriteAllBytes(path, torn);
            var restarted = new GuardedSigner(Chain, keys[0], new FileSignStateStore(path));
            Assert.Null(restarted.SignVote(MessageType.Prevote, 4, 2, null));
            Assert.Equal(released.Encode(), restarted.SignVote(MessageType.Prevote, 4, 2, released.BlockId)!.Encode());
        }
    }
}
