using System;
using CommunityGrid.Meter.Intervals;
using CommunityGrid.Meter.Messaging;
using CommunityGrid.Meter.Queue;
using CommunityGrid.Meter.Storage;
using CommunityGrid.Protocol.Cose;
using CommunityGrid.Meter.Tests.Intervals;

namespace CommunityGrid.Meter.Core.Tests.Messaging;

/// <summary>A signed move instruction, checked by the meter, moves it to its house's new chain from an interval not yet reported.</summary>
public class MoveInstructionTests
{
    private const long Midnight = 1709251200;
    private const int Length = 900;
    private static readonly TrustedSigners Trusted = new(new[] { MessagingExamples.GatewayPublicKey });
    internal static readonly byte[] NewGatewayKey = Convert.FromHexString("3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c");

    internal sealed class Meter
    {
        public Meter(MemoryFileStore? store = null)
        {
            Store = store ?? new MemoryFileStore();
            Queue = new ReadingQueue(Store, new QueueOptions());
            Queue.Open();
            Builder = new ReadingBuilder(MessagingExamples.ChainId, MessagingExamples.MeterId, Length, "1.0.0");
            Recorder = new IntervalRecorder(Builder, new SequenceStore(Store), TestSigner.Create(), Queue, new ChainMoveStore(Store));
            Recorder.Start();
            Recorder.Poll(Midnight + 1, 0, 0, 0);
        }

        public MemoryFileStore Store { get; }

        public ReadingQueue Queue { get; }

        public ReadingBuilder Builder { get; }

        public IntervalRecorder Recorder { get; }
    }

    internal static byte[] Instruction(string chain = MessagingExamples.ChainId, string meter = MessagingExamples.MeterId, long from = Midnight + Length,
        byte[]? seed = null, string[]? brokers = null, byte[][]? keys = null) =>
        new MoveInstruction(chain, meter, "new-grid", from, keys ?? new[] { NewGatewayKey }, brokers ?? new[] { "mqtt://new-gateway.local:1883" })
            .Sign(seed ?? MessagingExamples.GatewaySeed);

    [Fact]
    public void A_trusted_instruction_moves_the_meter_from_its_interval_on()
    {
        var meter = new Meter();
        Assert.True(MoveInstruction.Apply(Instruction(), Trusted, meter.Builder, meter.Recorder));
        Assert.Equal(("new-grid", Midnight + Length), (meter.Recorder.Move!.NewChainId, meter.Builder.MovedFromIntervalStart));
        Assert.Equal(NewGatewayKey, meter.Recorder.Move.NewGatewayKeys[0]);
        Assert.Equal(MessagingExamples.ChainId, meter.Recorder.Poll(Midnight + Length, 1, 0, 0)!.Reading.ChainId);
        Assert.Equal("new-grid", meter.Recorder.Poll(Midnight + 2 * Length, 2, 0, 0)!.Reading.ChainId);
    }

    [Fact]
    public void The_payload_round_trips_with_the_new_chains_gateways()
    {
        var move = new MoveInstruction("old", "m-1", "new", Midnight, new[] { NewGatewayKey, MessagingExamples.GatewayPublicKey },
            new[] { "mqtts://a.example:8883", "mqtts://10.0.0.2" });
        MoveInstruction back = MoveInstruction.DecodePayload(move.EncodePayload());
        Assert.Equal((move.ChainId, move.MeterId, move.NewChainId, move.FromIntervalStart), (back.ChainId, back.MeterId, back.NewChainId, back.FromIntervalStart));
        Assert.Equal(move.NewGatewayKeys, back.NewGatewayKeys);
        Assert.Equal(move.NewBrokers, back.NewBrokers);
    }

    [Fact]
    public void The_worked_example_of_the_protocol_decodes()
    {
        // docs/protocol.md §7.5: meter-0001 of communitygrid-test moves to "new-grid" from 1709252100, one gateway, one broker.
        byte[] payload = Convert.FromHexString(MoveExample);
        MoveInstruction move = MoveInstruction.DecodePayload(payload);
        Assert.Equal(("communitygrid-test", "meter-0001", "new-grid", 1709252100L), (move.ChainId, move.MeterId, move.NewChainId, move.FromIntervalStart));
        Assert.Equal(new[] { "mqtt://10.0.0.7:1883" }, move.NewBrokers);
        Assert.Equal(payload, move.EncodePayload());
        Assert.Equal(MoveExample, ExampleFromProtocolDoc("move"));
    }

    /// <summary>The hex of the fenced block after <c>&lt;!-- example: name --&gt;</c> in docs/protocol.md, annotations ('#' on) and white space removed.</summary>
    private static string ExampleFromProtocolDoc(string name)
    {
        var dir = new System.IO.DirectoryInfo(AppContext.BaseDirectory);
        while (!System.IO.File.Exists(System.IO.Path.Combine(dir.FullName, "CommunityGrid.sln"))) dir = dir.Parent!;
        string[] lines = System.IO.File.ReadAllLines(System.IO.Path.Combine(dir.FullName, "docs", "protocol.md"));
        int at = Array.IndexOf(lines, "<!-- example: " + name + " -->");
        Assert.True(at >= 0, "docs/protocol.md has no example " + name);
        var hex = new System.Text.StringBuilder();
        for (int i = at + 2; !lines[i].StartsWith("```", StringComparison.Ordinal); i++)
        {
            string line = lines[i].Split('#')[0];
            foreach (char c in line) if (!char.IsWhiteSpace(c)) hex.Append(c);
        }
        return hex.ToString();
    }

    internal const string MoveExample = "a6" + "0172636f6d6d756e697479677269642d74657374" + "026a6d657465722d30303031" + "03686e65772d67726964" + "041a65e11e04"
        + "05815820d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a" + "068174" + "6d7174743a2f2f31302e302e302e373a31383833";

    [Fact]
    public void Malformed_payloads_are_refused()
    {
        var good = new MoveInstruction("old", "m-1", "new", Midnight, new[] { NewGatewayKey }, new[] { "mqtt://a:1" });
        Assert.Throws<MessageFormatException>(() => MoveInstruction.DecodePayload(
            new MoveInstruction("old", "m-1", "new", Midnight, new[] { new byte[31] }, new[] { "mqtt://a:1" }).EncodePayload()));
        Assert.Throws<MessageFormatException>(() => MoveInstruction.DecodePayload(
            new MoveInstruction("old", "m-1", "new", Midnight, new[] { NewGatewayKey }, new[] { "http://a:1" }).EncodePayload()));
        Assert.Throws<MessageFormatException>(() => MoveInstruction.DecodePayload(
            new MoveInstruction("old", "m-1", "new", Midnight, new[] { NewGatewayKey }, new[] { "mqtt://a:1", "mqtts://b:2" }).EncodePayload()));
        byte[] fourKeys = new MoveInstruction("old", "m-1", "new", Midnight).EncodePayload();
        Assert.NotNull(MoveInstruction.DecodePayload(fourKeys)); // no gateways: readable (the store keeps such a move) ...
        Assert.NotNull(MoveInstruction.DecodePayload(good.EncodePayload()));
    }

    [Fact]
    public void Untrusted_forged_misdirected_or_gatewayless_instructions_change_nothing()
    {
        var meter = new Meter();
        byte[] otherSeed = new byte[32];
        otherSeed[0] = 7;
        Assert.Throws<UntrustedSignerException>(() => MoveInstruction.Apply(Instruction(seed: otherSeed), Trusted, meter.Builder, meter.Recorder));
        byte[] forged = Instruction();
        forged[forged.Length - 1] ^= 1;
        Assert.Throws<CoseSignatureException>(() => MoveInstruction.Apply(forged, Trusted, meter.Builder, meter.Recorder));
        Assert.Throws<MessageFormatException>(() => MoveInstruction.Apply(Instruction(meter: "another-meter"), Trusted, meter.Builder, meter.Recorder));
        Assert.Throws<MessageFormatException>(() => MoveInstruction.Apply(Instruction(chain: "third-grid"), Trusted, meter.Builder, meter.Recorder));
        // ... but not deliverable: a meter would not know whom to believe or where to go.
        Assert.Throws<MessageFormatException>(() => MoveInstruction.Apply(Instruction(keys: new byte[0][]), Trusted, meter.Builder, meter.Recorder));
        Assert.Throws<MessageFormatException>(() => MoveInstruction.Apply(Instruction(brokers: new string[0]), Trusted, meter.Builder, meter.Recorder));
        Assert.Null(meter.Builder.MovedToChainId);
        Assert.Null(meter.Recorder.Move);
        var stored = new ChainMoveStore(meter.Store);
        stored.Load();
        Assert.Null(stored.Move);
        Assert.Equal(MessagingExamples.ChainId, meter.Recorder.Poll(Midnight + 2 * Length, 2, 0, 0)!.Reading.ChainId);
    }

    [Fact]
    public void A_late_instruction_moves_from_the_first_interval_not_yet_reported()
    {
        var meter = new Meter();
        Assert.Equal(MessagingExamples.ChainId, meter.Recorder.Poll(Midnight + Length, 1, 0, 0)!.Reading.ChainId);
        Assert.Equal(MessagingExamples.ChainId, meter.Recorder.Poll(Midnight + 2 * Length, 2, 0, 0)!.Reading.ChainId);
        // The instruction names interval Midnight+900, already signed for the old chain: the move starts after it.
        Assert.True(MoveInstruction.Apply(Instruction(from: Midnight + Length), Trusted, meter.Builder, meter.Recorder));
        Assert.Equal(Midnight + 2 * Length, meter.Builder.MovedFromIntervalStart);
        Assert.Equal("new-grid", meter.Recorder.Poll(Midnight + 3 * Length, 3, 0, 0)!.Reading.ChainId);
    }

    [Fact]
    public void The_same_instruction_again_changes_nothing_and_another_move_is_refused()
    {
        var meter = new Meter();
        Assert.True(MoveInstruction.Apply(Instruction(), Trusted, meter.Builder, meter.Recorder));
        meter.Recorder.Poll(Midnight + Length, 1, 0, 0);
        meter.Recorder.Poll(Midnight + 2 * Length, 2, 0, 0);
        Assert.False(MoveInstruction.Apply(Instruction(), Trusted, meter.Builder, meter.Recorder));
        Assert.Equal(Midnight + Length, meter.Builder.MovedFromIntervalStart);
        byte[] elsewhere = new MoveInstruction(MessagingExamples.ChainId, MessagingExamples.MeterId, "third-grid", Midnight + 4 * Length,
            new[] { NewGatewayKey }, new[] { "mqtt://x:1" }).Sign(MessagingExamples.GatewaySeed);
        Assert.Throws<InvalidOperationException>(() => MoveInstruction.Apply(elsewhere, Trusted, meter.Builder, meter.Recorder));
        Assert.Throws<CoseFormatException>(() => MoveInstruction.Apply(DisplayInfoCodec.Sign(new DisplayInfo(MessagingExamples.ChainId, MessagingExamples.MeterId, 1, 2, 3), MessagingExamples.GatewaySeed), Trusted, meter.Builder, meter.Recorder));
    }

    [Fact]
    public void The_move_with_its_gateways_survives_a_restart()
    {
        var before = new Meter();
        MoveInstruction.Apply(Instruction(), Trusted, before.Builder, before.Recorder);
        var after = new Meter(before.Store);
        Assert.Equal(("new-grid", Midnight + Length), (after.Recorder.Move!.NewChainId, after.Builder.MovedFromIntervalStart));
        Assert.Equal(new[] { "mqtt://new-gateway.local:1883" }, after.Recorder.Move.NewBrokers);
        Assert.Equal(NewGatewayKey, after.Recorder.Move.NewGatewayKeys[0]);
    }
}
