using System.Linq;
using System.Threading.Tasks;
using CommunityGrid.Node.Hosting;
using CommunityGrid.Node.Ingest;
using CommunityGrid.Node.Tests.Support;

namespace CommunityGrid.Node.Tests.Ingest;

/// <summary>
/// A full mempool answers before a reading is decoded or verified (issue 18: each refused resend used to cost a
/// decode and a signature check), and says so in the log once per episode, not once per refused publish.
/// In-process node without MQTT, a mempool of two, blocks produced by hand.
/// </summary>
public sealed class FullPoolIntakeTests
{
    private const int Capacity = 2;

    [Fact]
    public async Task A_full_pool_refuses_a_reading_before_its_signature_is_checked()
    {
        using var grid = new TestGrid(2);
        await using GatewayNode node = await GatewayNode.StartAsync(grid.NodeOptions(0) with { MqttEndpoint = null, BlockPeriod = null, MempoolCapacity = Capacity });
        Fill(node, grid, "m02");
        byte[] forged = grid.Reading("m01", 1, 100);
        forged[^1] ^= 0x01;

        Assert.Equal(IntakeResult.PoolFull, node.Intake.Offer("m01", forged));

        node.ProduceOnce();
        Assert.Equal(IntakeResult.Rejected, node.Intake.Offer("m01", forged));
    }

    [Fact]
    public async Task A_reading_already_waiting_is_still_answered_as_pending_when_the_pool_is_full()
    {
        using var grid = new TestGrid(2);
        await using GatewayNode node = await GatewayNode.StartAsync(grid.NodeOptions(0) with { MqttEndpoint = null, BlockPeriod = null, MempoolCapacity = Capacity });
        Fill(node, grid, "m02");

        Assert.Equal(IntakeResult.AlreadyPending, node.Intake.Offer("m02", grid.Reading("m02", 1, 100)));
    }

    [Fact]
    public async Task A_full_pool_is_logged_once_per_episode()
    {
        using var grid = new TestGrid(3);
        var log = new CollectedLog();
        await using GatewayNode node = await GatewayNode.StartAsync(grid.NodeOptions(0) with
        {
            MqttEndpoint = null, BlockPeriod = null, MempoolCapacity = Capacity, LoggerFactory = log.Factory("gw"),
        });
        Fill(node, grid, "m02");
        Assert.Equal(IntakeResult.PoolFull, node.Intake.Offer("m01", grid.Reading("m01", 1, 100)));
        Assert.Equal(IntakeResult.PoolFull, node.Intake.Offer("m01", grid.Reading("m01", 2, 200)));
        Assert.Equal(IntakeResult.PoolFull, node.Intake.Offer("m03", grid.Reading("m03", 1, 100)));
        Assert.Single(log.Lines, l => l.Contains("mempool full"));

        node.ProduceOnce();
        Assert.Equal(IntakeResult.Queued, node.Intake.Offer("m01", grid.Reading("m01", 1, 100)));
        Assert.Equal(IntakeResult.Queued, node.Intake.Offer("m01", grid.Reading("m01", 2, 200)));
        Assert.Equal(IntakeResult.PoolFull, node.Intake.Offer("m03", grid.Reading("m03", 1, 100)));
        Assert.Equal(2, log.Lines.Count(l => l.Contains("mempool full")));
    }

    private static void Fill(GatewayNode node, TestGrid grid, string meter)
    {
        for (int seq = 1; seq <= Capacity; seq++) Assert.Equal(IntakeResult.Queued, node.Intake.Offer(meter, grid.Reading(meter, seq, 100 * seq)));
    }
}
