using System;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using CommunityGrid.Formats.Keys;
using CommunityGrid.Formats.Signing;
using CommunityGrid.Meter.Linux.Tests.Broker;
using CommunityGrid.Meter.Linux.Tests.Gateway;
using CommunityGrid.Meter.Linux.Tests.Meter;
using CommunityGrid.Meter.Messaging;
using MQTTnet;
using MQTTnet.Protocol;

namespace CommunityGrid.Meter.Linux.Tests.Mqtt;

/// <summary>
/// cgrid-meter follows its house to a new chain (docs/breakaway.md §5): a forged, foreign-signed or misdirected move
/// instruction on its move topic is refused with a logged reason and changes nothing; an installer-signed one moves it:
/// intervals before the move go to the old chain's gateway on the old broker until acknowledged, every later one to
/// the new chain's gateway on the new broker, each interval exactly once; the move survives a restart.
/// </summary>
[Collection(MosquittoCollection.Name)]
public sealed class MoveTests
{
    private const string NewChainId = "new-grid";
    private static readonly DateTimeOffset Morning = new(2026, 6, 21, 8, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task A_signed_move_sends_every_interval_to_exactly_one_chain_and_bad_instructions_change_nothing()
    {
        using var oldBroker = new MosquittoBroker();
        using var newBroker = new MosquittoBroker();
        KeyFile installer = KeyFile.Generate();
        using var home = new VirtualMeterHome("meter-0007", oldBroker.Url, intervalSeconds: 60, resendSeconds: 2,
            installerPublicKeys: [installer.PublicKeyHex]);
        using Ed25519Signer newGatewayKey = Ed25519Signer.Generate();
        await using var oldGateway = new TestGateway(oldBroker.Port, VirtualMeterHome.ChainId, home.MeterId, home.MeterPublicKey, home.Gateway, acking: true);
        await using var newGateway = new TestGateway(newBroker.Port, NewChainId, home.MeterId, home.MeterPublicKey, newGatewayKey, acking: true)
        {
            ContinuesFromFirstArrival = true,
        };
        await oldGateway.WaitConnectedAsync(TimeSpan.FromSeconds(10));
        await newGateway.WaitConnectedAsync(TimeSpan.FromSeconds(10));
        using var meter = home.Start(timeScale: 30, start: Morning);
        meter.WaitFor(line => line.Event == "ack.applied" && line.Long("seq") == 2, TimeSpan.FromSeconds(30), "reading 2 acknowledged by the old chain");

        string moveTopic = MqttTopics.Move(VirtualMeterHome.ChainId, home.MeterId);
        string[] newBrokers = [newBroker.Url];
        byte[][] newKeys = [newGatewayKey.PublicKey];
        long soon = Morning.ToUnixTimeSeconds();
        MoveInstruction Move(string meterId, long from) => new(VirtualMeterHome.ChainId, meterId, NewChainId, from, newKeys, newBrokers);
        byte[] forged = Move(home.MeterId, soon).Sign(installer.Seed);
        forged[^1] ^= 1;
        await PublishAsync(oldBroker.Port, moveTopic, Move(home.MeterId, soon).Sign(KeyFile.Generate().Seed));
        await PublishAsync(oldBroker.Port, moveTopic, forged);
        await PublishAsync(oldBroker.Port, moveTopic, Move("meter-0008", soon).Sign(installer.Seed));
        meter.WaitFor(line => line.Event == "move.refused" && line.Get("reason")!.Contains("is for meter meter-0008", StringComparison.Ordinal),
            TimeSpan.FromSeconds(10), "the misdirected instruction refused");
        var refusals = meter.Events("move.refused").Select(l => l.Get("reason")).ToList();
        Assert.Equal(3, refusals.Count);
        Assert.Contains("not a configured gateway key", refusals[0]);
        Assert.Contains("does not verify", refusals[1]);
        Assert.Empty(meter.Events("move.applied"));
        Assert.False(File.Exists(Path.Combine(home.DataDirectory, "move.0")) || File.Exists(Path.Combine(home.DataDirectory, "move.1")));

        // The real one, retained as cgrid meter move leaves it, for an interval a few (virtual) minutes ahead.
        long lastOld = meter.Events("reading.queued").Last().Long("interval");
        await PublishAsync(oldBroker.Port, moveTopic, Move(home.MeterId, lastOld + 4 * 60).Sign(installer.Seed), retain: true);
        var applied = meter.WaitFor(line => line.Event == "move.applied", TimeSpan.FromSeconds(10), "the move applied");
        long from = applied.Long("from_interval");
        Assert.True(from >= lastOld + 4 * 60, $"moved from {from}, asked for {lastOld + 4 * 60}");
        meter.WaitFor(line => line.Event == "move.switched", TimeSpan.FromSeconds(30), "the switch to the new chain");
        await WaitAsync(() => newGateway.Arrivals().Count >= 3 && newGateway.CommittedThrough >= newGateway.Arrivals().Min(a => a.Sequence) + 2,
            TimeSpan.FromSeconds(30), "three new-chain readings committed", meter.Transcript);

        // A restart keeps the move and goes straight to the new chain.
        Assert.Equal(0, meter.Terminate(TimeSpan.FromSeconds(10)));
        long committedBeforeRestart = newGateway.CommittedThrough;
        using var restarted = home.Start(timeScale: 30, start: DateTimeOffset.FromUnixTimeSeconds(meter.Events("reading.queued").Last().Long("interval") + 60));
        restarted.WaitFor(line => line.Event == "move.restored", TimeSpan.FromSeconds(10), "the move restored");
        await newGateway.WaitCommittedAsync(committedBeforeRestart + 2, TimeSpan.FromSeconds(30), restarted.Transcript);
        Assert.Equal(0, restarted.Terminate(TimeSpan.FromSeconds(10)));

        var oldCommitted = oldGateway.Arrivals().Where(a => a.Sequence <= oldGateway.CommittedThrough).GroupBy(a => a.Sequence).Select(g => g.First()).ToList();
        var newCommitted = newGateway.Arrivals().Where(a => a.Sequence <= newGateway.CommittedThrough).GroupBy(a => a.Sequence).Select(g => g.First()).ToList();
        Assert.All(oldCommitted, a => Assert.True(a.IntervalStart < from, $"old chain got interval {a.IntervalStart}, the move is from {from}"));
        Assert.All(newGateway.Arrivals(), a => Assert.True(a.IntervalStart >= from, $"new chain got interval {a.IntervalStart}, the move is from {from}"));
        // Every interval once, in one chain: the sequences and intervals run on without a gap or a repeat across the move.
        var all = oldCommitted.Concat(newCommitted).OrderBy(a => a.Sequence).ToList();
        Assert.Equal(Enumerable.Range(1, all.Count).Select(i => (long)i), all.Select(a => a.Sequence));
        Assert.Equal(all.Count, all.Select(a => a.IntervalStart).Distinct().Count());
        Assert.Equal(from - 60, oldCommitted.Max(a => a.IntervalStart));
        Assert.Equal(from, newCommitted.Min(a => a.IntervalStart));
        Assert.Empty(oldGateway.Problems());
        Assert.Empty(newGateway.Problems());
    }

    private static async Task PublishAsync(int port, string topic, byte[] payload, bool retain = false)
    {
        using IMqttClient client = new MqttClientFactory().CreateMqttClient();
        await client.ConnectAsync(new MqttClientOptionsBuilder().WithTcpServer("127.0.0.1", port).WithClientId("test-installer-" + Guid.NewGuid().ToString("N")).Build());
        await client.PublishAsync(new MqttApplicationMessageBuilder().WithTopic(topic).WithPayload(payload)
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).WithRetainFlag(retain).Build());
        await client.DisconnectAsync();
    }

    private static async Task WaitAsync(Func<bool> done, TimeSpan timeout, string what, Func<string> context)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!done())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"no {what} within {timeout.TotalSeconds} s\n{context()}");
            await Task.Delay(50);
        }
    }
}
