using System.Collections.Generic;
using System.Linq;
using CommunityGrid.Consensus.Machine;
using CommunityGrid.Consensus.Messages;
using CommunityGrid.Consensus.Signing;
using CommunityGrid.Consensus.Tests.Support;

namespace CommunityGrid.Consensus.Tests.Machine;

/// <summary>
/// The stall CI's KillNineClusterTests ran into, scripted on four machines: in round 0 two validators see 2f+1
/// prevotes for the proposed block and lock on it, the other two do not; then every validator is killed and restarted
/// (the proposal and the blocks received die with the processes). From then on every message is delivered. Only a
/// locker that kept its locked block can re-propose it; the others accept it on the lock proof it relays (line 28).
/// </summary>
public class LockedBlockRestartTests
{
    private const long PreviousTime = 1_000_000;
    private const int MaxSteps = 5_000;

    [Fact]
    public void Two_lockers_and_a_block_lost_everywhere_by_restarts_still_decide_that_block()
    {
        using var keys = new TestKeys(4);
        var stores = Enumerable.Range(0, 4).Select(_ => new MemorySignStateStore()).ToArray();
        var cluster = new ScriptedCluster(keys, stores, PreviousTime + 10_000);
        int proposer = keys.Set.ProposerIndex(1, 0);
        BroadcastProposal proposal = cluster.Outputs[proposer].OfType<BroadcastProposal>().Single();
        var prevotes = new SignedVote[4];
        prevotes[proposer] = OwnPrevote(cluster.Outputs[proposer]);
        for (int v = 0; v < 4; v++)
        {
            if (v != proposer) prevotes[v] = OwnPrevote(cluster.Machines[v].OnProposal(proposal.Proposal, proposal.Block, cluster.Now));
        }
        int[] lockers = Enumerable.Range(0, 4).Where(v => v != proposer).Take(2).ToArray();
        foreach (int locker in lockers)
        {
            foreach (SignedVote prevote in prevotes) cluster.Machines[locker].OnVote(prevote, cluster.Now);
            Assert.Equal(proposal.Block.Id, cluster.Machines[locker].LockedBlockId);
        }
        Assert.All(Enumerable.Range(0, 4).Except(lockers), v => Assert.Null(cluster.Machines[v].LockedBlockId));

        var restarted = new ScriptedCluster(keys, stores, cluster.Now + 1_000);   // kill -9 of all four, then a start
        Dictionary<int, ConsensusBlock> decided = restarted.RunUntilAllDecide(MaxSteps);

        Assert.Equal(4, decided.Count);
        Assert.All(decided.Values, block => Assert.Equal(proposal.Block.Id, block.Id));
    }

    [Fact]
    public void Without_the_kept_block_the_same_schedule_never_decides()
    {
        using var keys = new TestKeys(4);
        var stores = Enumerable.Range(0, 4).Select(_ => new MemorySignStateStore()).ToArray();
        var cluster = new ScriptedCluster(keys, stores, PreviousTime + 10_000);
        int proposer = keys.Set.ProposerIndex(1, 0);
        BroadcastProposal proposal = cluster.Outputs[proposer].OfType<BroadcastProposal>().Single();
        var prevotes = new List<SignedVote> { OwnPrevote(cluster.Outputs[proposer]) };
        for (int v = 0; v < 4; v++)
        {
            if (v != proposer) prevotes.Add(OwnPrevote(cluster.Machines[v].OnProposal(proposal.Proposal, proposal.Block, cluster.Now)));
        }
        foreach (int locker in Enumerable.Range(0, 4).Where(v => v != proposer).Take(2))
        {
            foreach (SignedVote prevote in prevotes) cluster.Machines[locker].OnVote(prevote, cluster.Now);
        }
        foreach (MemorySignStateStore store in stores) store.ForgetLockedBlocks();   // what the gateway did before the fix

        var restarted = new ScriptedCluster(keys, stores, cluster.Now + 1_000);
        Assert.Empty(restarted.RunUntilAllDecide(MaxSteps));
        Assert.All(restarted.Machines, m => Assert.True(m.Round >= 20, $"only round {m.Round}: the schedule ran out, not the rounds"));
    }

    private static SignedVote OwnPrevote(IEnumerable<ConsensusOutput> outputs) =>
        outputs.OfType<BroadcastVote>().Select(v => v.Vote).Single(v => v.Type == MessageType.Prevote);

    /// <summary>Four machines at height 1 with every message delivered at once and timeouts fired in time order.</summary>
    private sealed class ScriptedCluster
    {
        private readonly Queue<(int To, ConsensusOutput Message)> inFlight = new();
        private readonly List<(long At, int Node, ScheduleTimeout Timeout)> timers = new();
        private readonly Dictionary<int, ConsensusBlock> decided = new();

        public ScriptedCluster(TestKeys keys, MemorySignStateStore[] stores, long now)
        {
            Now = now;
            Machines = new TendermintMachine[keys.Count];
            Outputs = new IReadOnlyList<ConsensusOutput>[keys.Count];
            for (int v = 0; v < keys.Count; v++)
            {
                var signer = new GuardedSigner(MachineHarness.ChainId, keys[v], stores[v]);
                Machines[v] = new TendermintMachine(MachineHarness.ChainId, MachineHarness.Parameters, new TestBlocks(v), signer);
                Outputs[v] = Machines[v].StartHeight(1, keys.Set, PreviousTime, Now);
            }
        }

        public long Now { get; private set; }
        public TendermintMachine[] Machines { get; }

        /// <summary>What each machine output when it started (before anything was delivered).</summary>
        public IReadOnlyList<ConsensusOutput>[] Outputs { get; }

        public Dictionary<int, ConsensusBlock> RunUntilAllDecide(int maxSteps)
        {
            for (int v = 0; v < Machines.Length; v++) Carry(v, Outputs[v]);
            for (int step = 0; step < maxSteps && decided.Count < Machines.Length; step++)
            {
                if (inFlight.TryDequeue(out (int To, ConsensusOutput Message) next))
                {
                    Carry(next.To, next.Message switch
                    {
                        BroadcastProposal p => Machines[next.To].OnProposal(p.Proposal, p.Block, Now),
                        BroadcastVote v => Machines[next.To].OnVote(v.Vote, Now),
                        _ => [],
                    });
                    continue;
                }
                if (timers.Count == 0) break;
                (long at, int node, ScheduleTimeout timeout) = timers.OrderBy(t => t.At).ThenBy(t => t.Node).First();
                timers.Remove((at, node, timeout));
                Now = System.Math.Max(Now, at);
                Carry(node, Machines[node].OnTimeout(timeout.Step, timeout.Height, timeout.Round, Now));
            }
            return decided;
        }

        private void Carry(int from, IReadOnlyList<ConsensusOutput> outputs)
        {
            foreach (ConsensusOutput output in outputs)
            {
                switch (output)
                {
                    case BroadcastProposal or BroadcastVote:
                        for (int to = 0; to < Machines.Length; to++)
                        {
                            if (to != from) inFlight.Enqueue((to, output));
                        }
                        break;
                    case ScheduleTimeout t:
                        timers.Add((Now + t.DelayMs, from, t));
                        break;
                    case Decide d:
                        decided[from] = d.Block;
                        break;
                    // RequestBlock: nobody decided the height, so block sync has nothing to serve (as in ConsensusDriver).
                }
            }
        }
    }
}
