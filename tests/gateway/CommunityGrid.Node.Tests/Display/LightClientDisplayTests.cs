using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net;
using System.Threading.Tasks;
using CommunityGrid.Chain.Blocks;
using CommunityGrid.Chain.Encoding;
using CommunityGrid.Chain.Intervals;
using CommunityGrid.Meter.Display;
using CommunityGrid.Meter.LightClient;
using CommunityGrid.Meter.Messaging;
using CommunityGrid.Meter.Queue;
using CommunityGrid.Meter.Storage;
using CommunityGrid.Node.Hosting;
using CommunityGrid.Node.Ingest;
using CommunityGrid.Node.Tests.Support;
using CommunityGrid.Node.Timing;
using CommunityGrid.Peering.Transport;
using MQTTnet;

namespace CommunityGrid.Node.Tests.Display;

/// <summary>
/// docs/protocol.md §7.4 / §7.6 over the embedded broker: a meter whose sessions all take proofs gets its price proved
/// (proof key 9) and no signed display data, while a meter that releases on acks keeps getting display data as before.
/// </summary>
public sealed class LightClientDisplayTests
{
    [Fact]
    public async Task A_light_client_shows_a_proved_price_and_gets_no_display_data_while_an_ack_meter_still_does()
    {
        using var grid = new TestGrid(2);
        var clock = new VirtualClock(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        int port = LoopbackPorts.Reserve();
        await using GatewayNode node = await GatewayNode.StartAsync(grid.NodeOptions(port) with { Clock = clock });
        var trusted = new TrustedSigners([grid.Gateway.PublicKey]);
        // m01 is a light client (proofs before display: never asked about in between), m02 releases on acks.
        await using var light = new DisplaySubscriber("m01");
        await light.ConnectAsync(port, grid.MeterSeeds["m01"]);
        Assert.Equal(MqttClientSubscribeResultCode.GrantedQoS1, await light.SubscribeAsync(RawMeterClient.ProofsTopic("m01")));
        Assert.Equal(MqttClientSubscribeResultCode.GrantedQoS1, await light.SubscribeAsync(DisplaySubscriber.Topic("m01")));
        await using var plain = new DisplaySubscriber("m02");
        await plain.ConnectAsync(port, grid.MeterSeeds["m02"]);
        Assert.Equal(MqttClientSubscribeResultCode.GrantedQoS1, await plain.SubscribeAsync(RawMeterClient.AcksTopic("m02")));
        Assert.Equal(MqttClientSubscribeResultCode.GrantedQoS1, await plain.SubscribeAsync(DisplaySubscriber.Topic("m02")));

        Assert.True(node.Submit(grid.Reading("m01", 1, importWh: 2500)).Accepted);
        Assert.True(node.Submit(grid.Reading("m02", 1, importWh: 0, exportWh: 700)).Accepted);
        await Waits.UntilAsync(() => node.Read(s => s.GetReadings("m01").Count + s.GetReadings("m02").Count) == 2, TimeSpan.FromSeconds(10), "both readings in a block");
        long openInterval = node.Read(s => s.State.View().NextInterval);
        clock.Advance(TimeSpan.FromSeconds(2 * TestGrid.IntervalSeconds));
        await Waits.UntilAsync(() => node.Read(s => s.State.View().NextInterval) > openInterval, TimeSpan.FromSeconds(10), "the interval holding the readings to close");
        long closedAt = node.Height;
        IntervalPrice statePrice = node.Read(s => IntervalPrice.Read(s.State.View()))!;
        Assert.True(statePrice.IntervalStart >= openInterval, $"the price entry names interval {statePrice.IntervalStart}, not one closed now");

        // The ack meter: display data signed for the closing block, as before.
        ReceivedDisplay plainDisplay = await plain.WaitAsync(
            d => d.Topic == DisplaySubscriber.Topic("m02") && DisplayInfoCodec.Open(d.Bytes, trusted).LastBlockHeight >= closedAt, $"m02's display at height {closedAt}");
        long signedPrice = DisplayInfoCodec.Open(plainDisplay.Bytes, trusted).PriceMinorPerKwh;
        Assert.Equal(statePrice.MinorPerKwh, signedPrice);

        // The light client: a proof message at the closing block or later, whose price the meter's own code verifies.
        ReceivedDisplay proof = await light.WaitAsync(d => d.Topic == RawMeterClient.ProofsTopic("m01") && LightHeader.Decode(ProofMessage.Decode(d.Bytes).Header).Height >= closedAt,
            $"m01's proof message at height {closedAt} or later");
        var store = new MemoryFileStore();
        var queue = new ReadingQueue(store, new QueueOptions());
        queue.Open();
        var display = new MeterDisplayState();
        var client = new MeterLightClient(TestGrid.ChainId, "m01", CommunityGrid.Protocol.Crypto.Ed25519.PublicKeyFromSeed(grid.MeterSeeds["m01"]), SetEncoding(grid),
            1, 4, 2880, queue, display, store);
        // Display data the light client got (the retained one from start-up, if any) is applied first, as a meter would.
        var downlink = new GatewayDownlink(TestGrid.ChainId, "m01", trusted, queue, display, store) { ReleasesOnCommitAcks = false };
        foreach (ReceivedDisplay d in light.Received.Where(d => d.Topic == DisplaySubscriber.Topic("m01"))) downlink.ApplyDisplay(d.Bytes);
        ProofOutcome outcome = client.Apply(proof.Bytes, 1);
        Assert.True(outcome.IsValid, outcome.Reason);
        Assert.Equal((true, true, signedPrice), (display.HasPrice, display.PriceVerified, display.PriceMinorPerKwh));
        Assert.DoesNotContain("?", new LcdRenderer(20, 4).Render(LcdPage.Price, display)[1]);

        // No display data was made for m01 while its session took proofs: all it has is what the retained store held when
        // it subscribed (made before it had a session, when the gateway cannot know what it will be).
        await Waits.UntilAsync(() => node.DisplaysNotNeeded >= 1, TimeSpan.FromSeconds(10), "the gateway to skip m01's display data");
        ReceivedDisplay[] lightDisplays = light.Received.Where(d => d.Topic == DisplaySubscriber.Topic("m01")).ToArray();
        Assert.True(lightDisplays.Length <= 1 && lightDisplays.All(d => d.Retained && DisplayInfoCodec.Open(d.Bytes, trusted).LastBlockHeight < closedAt),
            string.Join("\n", lightDisplays.Select(d => DisplayInfoCodec.Open(d.Bytes, trusted) + " retained=" + d.Retained)));
    }

    [Fact]
    public async Task Real_meters_a_light_client_logs_the_proved_price_and_no_display_while_an_ack_meter_logs_display_data()
    {
        using var grid = new TestGrid(2, genesisIntervalsAgo: 20);
        var clock = new VirtualClock(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        int port = LoopbackPorts.Reserve();
        await using GatewayNode node = await GatewayNode.StartAsync(grid.NodeOptions(port) with { Clock = clock, BlockPeriod = TimeSpan.FromSeconds(1) });
        string[] validators = grid.Genesis.Validators.Select(v => v.PublicKey + "@" + v.Address).ToArray();
        DateTimeOffset start = DateTimeOffset.FromUnixTimeSeconds(TestGrid.LastCompleteInterval() - 12 * TestGrid.IntervalSeconds);
        using CgridMeterProcess light = CgridMeterProcess.Start(grid.Directory, "m01", grid.MeterSeeds["m01"], TestGrid.ChainId, [grid.GatewayKeyFile.PublicKeyHex], [port],
            start, timeScale: 300, validators: validators);
        using CgridMeterProcess plain = CgridMeterProcess.Start(grid, "m02", port, start, timeScale: 300);
        await Waits.UntilAsync(() => Verified(light).Any() && plain.AckedThrough >= 1, TimeSpan.FromSeconds(40),
            "a verified proof on m01 and an ack on m02\n" + light.Log + "\n" + plain.Log);

        // Close the open interval now: the block that does so refreshes every meter's display data (protocol.md §7.4).
        long openInterval = node.Read(s => s.State.View().NextInterval);
        clock.Advance(TimeSpan.FromSeconds(2 * TestGrid.IntervalSeconds));
        await Waits.UntilAsync(() => node.Read(s => s.State.View().NextInterval) > openInterval, TimeSpan.FromSeconds(10), "the open interval to close");
        long closedAt = node.Read(s => s.Height);
        long price = node.Read(s => IntervalPrice.Read(s.State.View()))!.MinorPerKwh;
        await Waits.UntilAsync(() => Displays(plain).Any(block => block >= closedAt), TimeSpan.FromSeconds(20), $"m02's display data at height {closedAt}\n" + plain.Log);
        await Waits.UntilAsync(() => Verified(light).Any(v => v.Height >= closedAt), TimeSpan.FromSeconds(20), $"m01's proof at height {closedAt}\n" + light.Log);

        Assert.All(Verified(light), v => Assert.Equal(price, v.Price));
        Assert.DoesNotContain(Displays(light), block => block >= closedAt);
        Assert.True(node.DisplaysNotNeeded >= 1, $"{node.DisplaysNotNeeded} display messages skipped");
        Assert.DoesNotContain(light.Lines, l => CgridMeterProcess.Field(l, "event") == "proof.refused" && CgridMeterProcess.Field(l, "verdict") != "OlderHeader");
    }

    [Fact]
    public async Task A_meter_known_to_take_proofs_is_not_asked_about_again_until_its_sessions_change_then_gets_its_figures()
    {
        using var grid = new TestGrid(1);
        var clock = new VirtualClock(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        int port = LoopbackPorts.Reserve();
        await using GatewayNode node = await GatewayNode.StartAsync(grid.NodeOptions(port) with { Clock = clock });
        var broker = Assert.IsType<EmbeddedBroker>(node.MeterLink);
        var trusted = new TrustedSigners([grid.Gateway.PublicKey]);
        await using var light = new DisplaySubscriber("m01");
        await light.ConnectAsync(port, grid.MeterSeeds["m01"]);
        Assert.Equal(MqttClientSubscribeResultCode.GrantedQoS1, await light.SubscribeAsync(RawMeterClient.ProofsTopic("m01")));
        Assert.Equal(MqttClientSubscribeResultCode.GrantedQoS1, await light.SubscribeAsync(DisplaySubscriber.Topic("m01")));

        // An interval close refreshes every meter (protocol.md §7.4): the broker is asked about m01 and answers that it takes proofs.
        await CloseAnIntervalAsync(node, clock);
        await Waits.UntilAsync(() => node.DisplaysNotNeeded >= 1, TimeSpan.FromSeconds(10), "the gateway to skip m01's display data");
        long questions = broker.DisplayQuestions;
        Assert.True(questions >= 1, "the broker was never asked about m01");

        // Three more blocks that refresh every meter: m01 is skipped each time without a session lookup.
        for (int i = 0; i < 3; i++)
        {
            long skipped = node.DisplaysNotNeeded;
            await CloseAnIntervalAsync(node, clock);
            await Waits.UntilAsync(() => node.DisplaysNotNeeded > skipped, TimeSpan.FromSeconds(10), "the gateway to skip m01's display data again");
        }
        Assert.Equal(questions, broker.DisplayQuestions);

        // Its session stops taking proofs: the next block asks again and sends the figures (when in doubt, send).
        Assert.Equal(MqttClientUnsubscribeResultCode.Success, await light.UnsubscribeAsync(RawMeterClient.ProofsTopic("m01")));
        long height = await CloseAnIntervalAsync(node, clock);
        await light.WaitAsync(d => d.Topic == DisplaySubscriber.Topic("m01") && !d.Retained && DisplayInfoCodec.Open(d.Bytes, trusted).LastBlockHeight >= height,
            $"m01's display data at height {height} once it took no proofs");
        Assert.True(broker.DisplayQuestions > questions);
    }

    /// <returns>The height of the block that closed it.</returns>
    private static async Task<long> CloseAnIntervalAsync(GatewayNode node, VirtualClock clock)
    {
        long openInterval = node.Read(s => s.State.View().NextInterval);
        clock.Advance(TimeSpan.FromSeconds(TestGrid.IntervalSeconds));
        await Waits.UntilAsync(() => node.Read(s => s.State.View().NextInterval) > openInterval, TimeSpan.FromSeconds(10), $"interval {openInterval} to close");
        return node.Height;
    }

    private static IEnumerable<(long Height, long Price)> Verified(CgridMeterProcess meter) => meter.Lines
        .Where(l => CgridMeterProcess.Field(l, "event") == "proof.verified")
        .Select(l => (Long(l, "height"), Long(l, "price")));

    private static IEnumerable<long> Displays(CgridMeterProcess meter) => meter.Lines
        .Where(l => CgridMeterProcess.Field(l, "event") == "display.updated")
        .Select(l => Long(l, "block"));

    private static long Long(string line, string key) => long.Parse(CgridMeterProcess.Field(line, key)!, CultureInfo.InvariantCulture);

    private static byte[] SetEncoding(TestGrid grid)
    {
        var w = Cbor.Writer();
        ValidatorSet.FromGenesis(grid.Genesis).Write(w);
        return w.Encode();
    }
}
