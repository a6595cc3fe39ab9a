using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using CommunityGrid.Chain.Blocks;
using CommunityGrid.Chain.State;
using CommunityGrid.Formats.Readings;
using CommunityGrid.Formats.Signing;
using MqttCredentials = CommunityGrid.Meter.Messaging.MqttCredentials;
using CommunityGrid.Node.Acks;
using CommunityGrid.Node.Hosting;
using CommunityGrid.Node.Proofs;
using CommunityGrid.Node.Tests.Support;
using CommunityGrid.Protocol.Merkle;

namespace CommunityGrid.Node.Tests.EndToEnd;

/// <summary>
/// issue 15: a real `cgrid-meter` running as a light client on a real Mosquitto, whose gateway lies. The honest chain
/// is a real node (in process, its readings offered by the relay); the relay rewrites the node's genuine proof
/// messages or makes up blocks. Every lie is refused with its own verdict and nothing leaves the meter's queue; the
/// genuine message then releases exactly what the chain committed.
/// </summary>
public sealed class LyingGatewayTests
{
    private const string MeterId = "m01";
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_lying_gateway_is_caught_by_a_real_meter_and_nothing_leaves_its_queue()
    {
        using var grid = new TestGrid(1, genesisIntervalsAgo: 20);
        await using GatewayNode node = await GatewayNode.StartAsync(grid.NodeOptions(0) with { MqttEndpoint = null, BlockPeriod = null });
        byte[] seed = grid.MeterSeeds[MeterId];
        using Mosquitto broker = await Mosquitto.StartAsync(Path.Combine(grid.Directory, "mosquitto"), TestGrid.ChainId,
            new Dictionary<string, string> { [MeterId] = MqttCredentials.Password(TestGrid.ChainId, MeterId, seed) });
        await using LyingRelay relay = await LyingRelay.ConnectAsync(broker, TestGrid.ChainId, MeterId);
        string gatewayKey = grid.GatewayKeyFile.PublicKeyHex;
        DateTimeOffset start = DateTimeOffset.FromUnixTimeSeconds(TestGrid.LastCompleteInterval() - 16 * TestGrid.IntervalSeconds);
        using CgridMeterProcess meter = CgridMeterProcess.Start(grid.Directory, MeterId, seed, TestGrid.ChainId, [gatewayKey], [broker.Port], start,
            validators: [gatewayKey + "@" + grid.Genesis.Validators[0].Address]);
        await Waits.UntilAsync(() => relay.Readings.ContainsKey(3), Patience, "readings 1-3 from the meter\n" + meter.Log);

        // The chain commits reading 1 only; this is the genuine message for the tip.
        Assert.Equal(CommunityGrid.Node.Ingest.IntakeResult.Queued, node.Intake.Offer(MeterId, relay.Readings[1]));
        Assert.NotNull(node.ProduceOnce().Block);
        MeterProofMessage genuine = node.Read(s => MeterProofs.Take(s, (id, _) => id == MeterId)).Single();
        Assert.NotNull(genuine.Reading);

        // (a) a wrong balance.
        await relay.PublishProofAsync((genuine with { Balance = genuine.Balance + 50_000 }).Encode());
        await RefusalAsync(meter, 1, "ProofMismatch");

        // (b) reading 3 acknowledged, with the gateway's valid signature, though the chain never saw it ...
        await relay.PublishAckAsync(new ReadingAck(TestGrid.ChainId, MeterId, 3, AckStatus.Committed, 2, 1, null).Sign(grid.Gateway));
        await Waits.UntilAsync(() => Events(meter, "ack.unproven").Count > 0, Patience, "the meter to log the unproven ack\n" + meter.Log);
        // ... and "proved" with the meter's state entry rewritten to say the chain accepted it.
        MeterReading third = SignedReadingCodec.Open(relay.Readings[3]).Reading;
        MeterRecord record = MeterRecord.Decode(genuine.MeterEntry) with
        {
            LastSequence = 3, LastIntervalStart = third.IntervalStart, ImportWh = third.ImportWh, ExportWh = third.ExportWh, PvWh = third.PvWh,
        };
        await relay.PublishProofAsync((genuine with { MeterEntry = record.Encode() }).Encode());
        await RefusalAsync(meter, 2, "ProofMismatch");

        // (c) a block the gateway made up: its roots hold reading 3 and a big balance, so every path verifies against
        // it, but its commit is signed by a key outside the validator set; then the genuine tip's commit reused for it (a commit of another height).
        BlockHeader tip = node.Read(s => s.TipHeader!);
        var forged = Forge(tip, relay.Readings[3], record, genuine);
        using var stranger = Ed25519Signer.Generate();
        await relay.PublishProofAsync((forged.Message with { Certificate = BlockCommits.SignAlone(forged.Header, stranger).Encode() }).Encode());
        await RefusalAsync(meter, 3, "ForeignSigner");
        await relay.PublishProofAsync((forged.Message with { Certificate = genuine.Certificate }).Encode());
        await RefusalAsync(meter, 4, "WrongHeight");

        Assert.Empty(Events(meter, "proof.verified"));
        Assert.Empty(Events(meter, "ack.applied"));
        Assert.All(Events(meter, "proof.refused"), l => Assert.Equal("0", Field(l, "released_through")));
        int published = relay.Readings.Count;

        // The genuine message releases exactly reading 1, the one the chain holds.
        await relay.PublishProofAsync(genuine.Encode());
        await Waits.UntilAsync(() => Events(meter, "proof.verified").Count > 0, Patience, "the genuine proof to verify\n" + meter.Log);
        string verified = Events(meter, "proof.verified")[0];
        Assert.Equal("1", Field(verified, "released_through"));
        Assert.Equal(tip.Height.ToString(System.Globalization.CultureInfo.InvariantCulture), Field(verified, "height"));
        Assert.True(published >= 3);
    }

    private static List<string> Events(CgridMeterProcess meter, string name) =>
        meter.Lines.Where(l => Field(l, "event") == name).ToList();

    /// <summary>A field of a logfmt line (docs/meter-linux.md), unquoted values only.</summary>
    private static string? Field(string line, string key) =>
        line.Split(' ').FirstOrDefault(part => part.StartsWith(key + "=", StringComparison.Ordinal))?[(key.Length + 1)..];

    private static async Task RefusalAsync(CgridMeterProcess meter, int count, string verdict)
    {
        await Waits.UntilAsync(() => Events(meter, "proof.refused").Count >= count, Patience, $"refusal {count} ({verdict})\n{meter.Log}");
        string line = Events(meter, "proof.refused")[count - 1];
        Assert.True(Field(line, "verdict") == verdict, line);
    }

    /// <summary>A header of height tip+1 whose tx root holds <paramref name="reading"/> and whose state root holds the forged entry and a balance of 1,000,000.</summary>
    private static (BlockHeader Header, MeterProofMessage Message) Forge(BlockHeader tip, byte[] reading, MeterRecord record, MeterProofMessage genuine)
    {
        byte[][] txs = [reading];
        string house = record.HouseId;
        var entries = new SortedDictionary<string, byte[]>(StringComparer.Ordinal)
        {
            [StateKeys.Balance(house)] = StateValues.EncodeInt(1_000_000),
            [StateKeys.Meter(MeterId)] = record.Encode(),
        };
        byte[][] leaves = entries.Select(e => StateTree.Leaf(e.Key, e.Value)).ToArray();
        var header = tip with { Height = tip.Height + 1, TimeMs = tip.TimeMs + 1000, PreviousHash = tip.Hash(), TxRoot = MerkleTree.Root(txs), StateRoot = MerkleTree.Root(leaves) };
        var message = genuine with
        {
            Header = header.Encode(),
            MeterEntry = record.Encode(),
            MeterEntryPath = new InclusionPath(1, 2, MerkleTree.InclusionProof(leaves, 1)),
            Balance = 1_000_000,
            BalancePath = new InclusionPath(0, 2, MerkleTree.InclusionProof(leaves, 0)),
            Reading = new InclusionPath(0, 1, MerkleTree.InclusionProof(txs, 0)),
        };
        return (header, message);
    }
}
