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

    private sealed class Meter
    {
        public Meter()
        {
            var store = new MemoryFileStore();
            var queue = new ReadingQueue(store, new QueueOptions());
            queue.Open();
            Builder = new ReadingBuilder(MessagingExamples.ChainId, MessagingExamples.MeterId, Length, "1.0.0");
            Recorder = new IntervalRecorder(Builder, new SequenceStore(store), TestSigner.Create(), queue);
            Recorder.Start();
            Recorder.Poll(Midnight + 1, 0, 0, 0);
        }

        public ReadingBuilder Builder { get; }

        public IntervalRecorder Recorder { get; }
    }

    private static byte[] Instruction(string chain = MessagingExamples.ChainId, string meter = MessagingExamples.MeterId, long from = Midnight + Length, byte[]? seed = null) =>
        new MoveInstruction(chain, meter, "new-grid", from).Sign(seed ?? MessagingExamples.GatewaySeed);

    [Fact]
    public void A_trusted_instruction_moves_the_meter_from_its_interval_on()
    {
        var meter = new Meter();
        MoveInstruction move = MoveInstruction.Apply(Instruction(), Trusted, meter.Builder, meter.Recorder);
        Assert.Equal(("new-grid", Midnight + Length), (move.NewChainId, move.FromIntervalStart));
        Assert.Equal(MessagingExamples.ChainId, meter.Recorder.Poll(Midnight + Length, 1, 0, 0)!.Reading.ChainId);
        Assert.Equal("new-grid", meter.Recorder.Poll(Midnight + 2 * Length, 2, 0, 0)!.Reading.ChainId);
    }

    [Fact]
    public void The_payload_round_trips()
    {
        var move = new MoveInstruction("old", "m-1", "new", Midnight);
        MoveInstruction back = MoveInstruction.DecodePayload(move.EncodePayload());
        Assert.Equal((move.ChainId, move.MeterId, move.NewChainId, move.FromIntervalStart), (back.ChainId, back.MeterId, back.NewChainId, back.FromIntervalStart));
    }

    [Fact]
    public void Untrusted_forged_or_misdirected_instructions_change_nothing()
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
        Assert.Null(meter.Builder.MovedToChainId);
        Assert.Equal(MessagingExamples.ChainId, meter.Recorder.Poll(Midnight + 2 * Length, 2, 0, 0)!.Reading.ChainId);
    }

    [Fact]
    public void An_instruction_for_an_interval_already_signed_for_the_old_chain_is_refused()
    {
        var meter = new Meter();
        meter.Recorder.Poll(Midnight + Length, 1, 0, 0);
        Assert.Throws<InvalidOperationException>(() => MoveInstruction.Apply(Instruction(from: Midnight), Trusted, meter.Builder, meter.Recorder));
        Assert.Throws<CoseFormatException>(() => MoveInstruction.Apply(DisplayInfoCodec.Sign(new DisplayInfo(MessagingExamples.ChainId, MessagingExamples.MeterId, 1, 2, 3), MessagingExamples.GatewaySeed), Trusted, meter.Builder, meter.Recorder));
    }
}
