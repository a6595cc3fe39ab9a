using System;
using System.Linq;
using CommunityGrid.Meter.Messaging;
using CommunityGrid.Meter.Queue;

namespace CommunityGrid.Meter.Core.Tests.Messaging;

/// <summary>
/// The meter stays with the old chain until every interval before its move is acknowledged there, publishes only
/// the chain-in-use's readings meanwhile, and then talks to the new chain with its gateways' keys and brokers.
/// </summary>
public class MoveFollowerTests
{
    private const long Midnight = 1709251200;
    private const int Length = 900;
    private static readonly TrustedSigners Trusted = new(new[] { MessagingExamples.GatewayPublicKey });

    private static (MoveInstructionTests.Meter Meter, MoveFollower Follower) Moved()
    {
        var meter = new MoveInstructionTests.Meter();
        var follower = new MoveFollower(meter.Builder, meter.Recorder, meter.Queue, Trusted);
        Assert.Equal("cg/communitygrid-test/meters/meter-0001/move", follower.MoveTopic);
        Assert.False(follower.OldChainDone);
        Assert.True(follower.Apply(MoveInstructionTests.Instruction(from: Midnight + 2 * Length)));
        return (meter, follower);
    }

    [Fact]
    public void The_meter_talks_to_the_old_chain_until_its_last_interval_there_is_acknowledged()
    {
        (var meter, MoveFollower follower) = Moved();
        meter.Recorder.Poll(Midnight + Length, 1, 0, 0);          // seq 1: old chain
        Assert.False(follower.OldChainDone);                       // interval Midnight+900 (old) not reported yet
        meter.Recorder.Poll(Midnight + 2 * Length, 2, 0, 0);      // seq 2: old chain, the last one there
        meter.Recorder.Poll(Midnight + 3 * Length, 3, 0, 0);      // seq 3: new chain
        Assert.False(follower.OldChainDone);
        Assert.Equal(MessagingExamples.ChainId, follower.ChainInUse);
        Assert.Equal(new[] { true, true, false }, new[] { 0, 1, 2 }.Select(i => follower.IsForChainInUse(meter.Queue.GetPending(i))));

        meter.Queue.Acknowledge(2);
        Assert.True(follower.OldChainDone);
        Assert.Equal("new-grid", follower.ChainInUse);
        Assert.True(follower.IsForChainInUse(meter.Queue.GetPending(0)));
        Assert.True(follower.NewChainSigners().Contains(MoveInstructionTests.NewGatewayKey));
        Assert.False(follower.NewChainSigners().Contains(MessagingExamples.GatewayPublicKey));
        Assert.Equal(("new-gateway.local", 1883), (follower.NewBrokers()[0].Host, follower.NewBrokers()[0].Port));
    }

    [Fact]
    public void With_nothing_queued_the_switch_waits_for_the_last_old_interval_to_be_made()
    {
        (var meter, MoveFollower follower) = Moved();
        meter.Recorder.Poll(Midnight + Length, 1, 0, 0);
        meter.Queue.Acknowledge(1);
        Assert.False(follower.OldChainDone); // Midnight+900 is the old chain's too and is still to come
        meter.Recorder.Poll(Midnight + 2 * Length, 2, 0, 0);
        meter.Queue.Acknowledge(2);
        Assert.True(follower.OldChainDone);
    }

    [Fact]
    public void A_meter_that_has_not_moved_stays_on_its_chain()
    {
        var meter = new MoveInstructionTests.Meter();
        var follower = new MoveFollower(meter.Builder, meter.Recorder, meter.Queue, Trusted);
        meter.Recorder.Poll(Midnight + Length, 1, 0, 0);
        meter.Queue.Acknowledge(1);
        Assert.False(follower.OldChainDone);
        Assert.Equal(MessagingExamples.ChainId, follower.ChainInUse);
        Assert.Null(follower.Move);
        Assert.Throws<InvalidOperationException>(() => follower.NewChainSigners());
    }
}
