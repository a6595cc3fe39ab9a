using System.Linq;
using CommunityGrid.Consensus.Messages;
using CommunityGrid.Consensus.Signing;
using CommunityGrid.Consensus.Tests.Support;

namespace CommunityGrid.Consensus.Tests.Signing;

public class GuardedSignerTests
{
    private const string Chain = "street-grid";
    private static readonly BlockId A = new(Enumerable.Repeat((byte)1, 32).ToArray());
    private static readonly BlockId B = new(Enumerable.Repeat((byte)2, 32).ToArray());

    [Fact]
    public void Signs_upwards_only_and_repeats_the_same_message_for_the_same_slot()
    {
        using var keys = new TestKeys(1);
        var signer = new GuardedSigner(Chain, keys[0], new MemorySignStateStore());
        SignedVote first = signer.SignVote(MessageType.Prevote, 3, 1, A)!;
        Assert.Equal(first.Encode(), signer.SignVote(MessageType.Prevote, 3, 1, A)!.Encode());
        Assert.Null(signer.SignVote(MessageType.Prevote, 3, 1, B));      // conflicting: same slot, other block
        Assert.Null(signer.SignVote(MessageType.Prevote, 3, 1, null));
        Assert.NotNull(signer.SignVote(MessageType.Precommit, 3, 1, null));
        Assert.Null(signer.SignVote(MessageType.Prevote, 3, 1, A));      // an earlier step, even the same message
        Assert.Null(signer.SignVote(MessageType.Precommit, 3, 0, A, lockedBlock: TestBlocks.Locked(A)));    // an earlier round
        Assert.Null(signer.SignProposal(2, 9, A, -1, 5));                // an earlier height
        Assert.NotNull(signer.SignProposal(3, 2, B, -1, 5));
    }

    [Fact]
    public void A_precommit_for_a_block_persists_the_lock_for_the_rest_of_the_height()
    {
        using var keys = new TestKeys(1);
        var store = new MemorySignStateStore();
        var signer = new GuardedSigner(Chain, keys[0], store);
        signer.SignVote(MessageType.Precommit, 3, 1, A, lockedBlock: TestBlocks.Locked(A));
        signer.SignVote(MessageType.Prevote, 3, 2, null);
        SignState state = store.Load()!;
        Assert.Equal((1, A), (state.LockedRound, state.LockedBlockId));
        signer.SignVote(MessageType.Prevote, 4, 0, null);
        Assert.Equal(-1, store.Load()!.LockedRound);
    }

    [Fact]
    public void Nothing_is_released_before_it_is_durable_and_a_crash_before_persisting_loses_only_unreleased_work()
    {
        using var keys = new TestKeys(1);
        var store = new MemorySignStateStore();
        var signer = new GuardedSigner(Chain, keys[0], store);
        SignedVote released = signer.SignVote(MessageType.Prevote, 3, 1, A)!;
        store.FailNextSave = true;
        Assert.Throws<SimulatedCrashException>(() => signer.SignVote(MessageType.Precommit, 3, 1, A, lockedBlock: TestBlocks.Locked(A))); // crash between sign and persist
        // Restart: the unreleased precommit is forgotten, the released prevote is not.
        var restarted = new GuardedSigner(Chain, keys[0], store);
        Assert.Equal(released.Encode(), restarted.LastSigned!.Message);
        Assert.Null(restarted.SignVote(MessageType.Prevote, 3, 1, B));
        Assert.Equal(released.Encode(), restarted.SignVote(MessageType.Prevote, 3, 1, A)!.Encode());
        Assert.NotNull(restarted.SignVote(MessageType.Precommit, 3, 1, null));
    }

    [Fact]
    public void After_a_restart_from_the_file_the_signer_resends_or_refuses()
    {
        using var directory = new TempDirectory();
        using var keys = new TestKeys(1);
        string path = directory.File("sign-state");
        SignedVote sent = new GuardedSigner(Chain, keys[0], new FileSignStateStore(path)).SignVote(MessageType.Precommit, 9, 4, A, lockedBlock: TestBlocks.Locked(A))!;
        var restarted = new GuardedSigner(Chain, keys[0], new FileSignStateStore(path));
        Assert.Null(restarted.SignVote(MessageType.Precommit, 9, 4, B, lockedBlock: TestBlocks.Locked(B)));
        Assert.Null(restarted.SignVote(MessageType.Precommit, 9, 4, null));
        Assert.Equal(sent.Encode(), restarted.SignVote(MessageType.Precommit, 9, 4, A, lockedBlock: TestBlocks.Locked(A))!.Encode());
        Assert.Equal((4, A), (restarted.LastSigned!.LockedRound, restarted.LastSigned.LockedBlockId));
    }

    [Fact]
    public void The_block_a_precommit_locks_on_is_kept_in_a_file_until_the_lock_is_gone_and_a_damaged_file_reads_as_lost()
    {
        using var directory = new TempDirectory();
        using var keys = new TestKeys(1);
        string path = directory.File("sign-state");
        var block = new ConsensusBlock(A, 1234, Enumerable.Range(0, 5000).Select(i => (byte)i).ToArray());
        new GuardedSigner(Chain, keys[0], new FileSignStateStore(path)).SignVote(MessageType.Precommit, 9, 4, A, lockedBlock: block);

        var restarted = new GuardedSigner(Chain, keys[0], new FileSignStateStore(path));
        Assert.Equal((A, 1234L), (restarted.LockedBlock!.Id, restarted.LockedBlock.TimeMs));
        Assert.Equal(block.Bytes, restarted.LockedBlock.Bytes);
        restarted.SignVote(MessageType.Prevote, 9, 5, null);               // same height: the lock and its block stay
        Assert.Equal(A, new GuardedSigner(Chain, keys[0], new FileSignStateStore(path)).LockedBlock!.Id);

        string kept = Assert.Single(System.IO.Directory.GetFiles(path + ".locked"));
        byte[] bytes = System.IO.File.ReadAllBytes(kept);
        bytes[100] ^= 1;
        System.IO.File.WriteAllBytes(kept, bytes);
        var damaged = new GuardedSigner(Chain, keys[0], new FileSignStateStore(path));
        Assert.Null(damaged.LockedBlock);                                    // the machine then asks its peers, as before
        Assert.Equal((4, A), (damaged.LastSigned!.LockedRound, damaged.LastSigned.LockedBlockId));

        damaged.SignVote(MessageType.Prevote, 10, 0, B);                     // the next height: no lock, no file
        Assert.Empty(System.IO.Directory.GetFiles(path + ".locked"));
    }
}
