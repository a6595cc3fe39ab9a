using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using CommunityGrid.Chain.Blocks;
using CommunityGrid.Node.Hosting;
using CommunityGrid.Node.Proofs;
using CommunityGrid.Node.Tests.Support;

namespace CommunityGrid.Node.Tests.Proofs;

/// <summary>
/// <see cref="MeterProofs.Take"/> handed the block the proof sender was told of (instead of reading the tip back from the
/// store): the same bytes when it is the stored tip, and the store's own tip when it is not (a tip the store moved past,
/// another block at the tip's height, a header before it that is not the tip's parent).
/// </summary>
public sealed class MeterProofsCommittedTipTests
{
    private static readonly Func<string, long, bool> EveryMeter = (_, _) => true;

    [Fact]
    public async Task A_committed_tip_gives_the_stored_tips_messages_and_one_that_is_not_the_stored_tip_is_not_used()
    {
        using var grid = new TestGrid(2);
        await using GatewayNode node = await GatewayNode.StartAsync(grid.NodeOptions(0) with { MqttEndpoint = null, BlockPeriod = null });
        var produced = new List<Block>();
        for (long sequence = 1; sequence <= 3; sequence++)
        {
            Assert.True(node.Submit(grid.Reading("m01", sequence, importWh: 100 * sequence)).Accepted);
            Assert.True(node.Submit(grid.Reading("m02", sequence, importWh: 0, exportWh: 50 * sequence)).Accepted);
            produced.Add(node.ProduceOnce().Block ?? throw new InvalidOperationException($"no block for readings {sequence}"));
        }
        Block tip = produced[^1], before = produced[^2];
        Assert.Equal(node.Height, tip.Height);
        string[] fromStore = Encoded(node.Read(s => MeterProofs.Take(s, EveryMeter)));
        Assert.Equal(2, fromStore.Length);
        Assert.All(node.Read(s => MeterProofs.Take(s, EveryMeter)), m => Assert.NotNull(m.Reading));

        // What block production reported: the same bytes, with or without the header before it.
        Assert.Equal(fromStore, Encoded(node.Read(s => MeterProofs.Take(s, EveryMeter, new CommittedTip(tip, before.Header)))));
        Assert.Equal(fromStore, Encoded(node.Read(s => MeterProofs.Take(s, EveryMeter, new CommittedTip(tip, null)))));

        // A tip the store has moved past (a block stored before its report reached the sender) is not used.
        Assert.Equal(fromStore, Encoded(node.Read(s => MeterProofs.Take(s, EveryMeter, new CommittedTip(before, produced[^3].Header)))));

        // Another block at the tip's height is not used, nor a header before it that is not the tip's parent: either
        // would change the messages (the header and certificate; the announced set, for a set hash other than the tip's).
        Block other = tip with { Header = tip.Header with { TimeMs = tip.Header.TimeMs + 1 } };
        Assert.Equal(fromStore, Encoded(node.Read(s => MeterProofs.Take(s, EveryMeter, new CommittedTip(other, before.Header)))));
        BlockHeader notParent = before.Header with { ValidatorSetHash = new byte[32] };
        Assert.Equal(fromStore, Encoded(node.Read(s => MeterProofs.Take(s, EveryMeter, new CommittedTip(tip, notParent)))));
    }

    private static string[] Encoded(IReadOnlyList<MeterProofMessage> messages) => messages.Select(m => Convert.ToHexStringLower(m.Encode())).ToArray();
}
