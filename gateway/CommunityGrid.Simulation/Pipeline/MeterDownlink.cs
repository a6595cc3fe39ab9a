using System;
using System.Threading;
using CommunityGrid.Meter.Messaging;
using CommunityGrid.Protocol.Cose;

namespace CommunityGrid.Simulation.Pipeline;

/// <summary>
/// What a simulated meter does with a message on its acks, display or proofs topic, by the rules of docs/protocol.md
/// §7.3, §7.4 and §7.6 and with the meter core's own decoding. Acks and display data: the COSE kid must be a trusted
/// gateway key, the Ed25519 signature must verify under it (checked by libsodium, <see cref="SodiumSignedMessages"/>),
/// and keys 1 and 2 must name this meter's chain and id; anything else is dropped and counted, never acted on. A
/// verified ack is passed on, but only a rejection releases readings (§7.7): committed readings are released by a
/// verified proof. Proof messages are passed on as received (<paramref name="proof"/>): the meter's light client,
/// run on the simulation loop with the meter's queue, decides what of them is true.
/// </summary>
/// <param name="later">Runs display checks off the MQTT receive loop: display data never gates the simulation, while
/// acks do, so a meter's ack should not queue behind the Ed25519 check of its display figures.</param>
public sealed class MeterDownlink(string chainId, string meterId, SodiumSignedMessages signers, DownlinkCounters counters, Action<VerifiedAck> accept, Action<Action> later,
    Action<string, byte[]> proof)
{
    private readonly string acksTopic = MqttTopics.Acks(chainId, meterId);
    private readonly string displayTopic = MqttTopics.Display(chainId, meterId);
    private readonly string proofsTopic = MqttTopics.Proofs(chainId, meterId);
    private long acksVerified, acksDropped;

    public string AcksTopic => acksTopic;
    public string DisplayTopic => displayTopic;
    public string ProofsTopic => proofsTopic;
    public string MeterId => meterId;
    /// <summary>This meter's verified acks: the only ones it acted on.</summary>
    public long AcksVerified => Interlocked.Read(ref acksVerified);
    public long AcksDropped => Interlocked.Read(ref acksDropped);

    /// <summary>Called from the MQTT client's receive loop, so it may run concurrently with other meters' downlinks.</summary>
    public void Receive(string topic, byte[] payload)
    {
        if (topic == acksTopic) ReceiveAck(payload);
        else if (topic == proofsTopic) proof(meterId, payload);
        else if (topic == displayTopic) later(() => ReceiveDisplay(payload));
        else Interlocked.Increment(ref counters.OtherDropped);      // the broker routed something this meter never subscribed to
    }

    private void ReceiveAck(byte[] payload)
    {
        GatewayAck ack;
        try
        {
            ack = GatewayAckCodec.DecodePayload(signers.OpenPayload(payload, MessageContentTypes.Ack));
        }
        catch (Exception e) when (Unverifiable(e))
        {
            Drop();
            return;
        }
        if (!ack.IsFor(chainId, meterId))
        {
            Drop();
            return;
        }
        Interlocked.Increment(ref acksVerified);
        Interlocked.Increment(ref counters.AcksVerified);
        accept(new VerifiedAck(meterId, ack));
    }

    private void Drop()
    {
        Interlocked.Increment(ref acksDropped);
        Interlocked.Increment(ref counters.AcksDropped);
    }

    private void ReceiveDisplay(byte[] payload)
    {
        try
        {
            DisplayInfo info = DisplayInfoCodec.DecodePayload(signers.OpenPayload(payload, MessageContentTypes.Display));
            // Display data only feeds the LCD; a simulated meter has none, so a verified message is just counted.
            if (info.ChainId == chainId && info.MeterId == meterId) Interlocked.Increment(ref counters.DisplaysVerified);
            else Interlocked.Increment(ref counters.DisplaysDropped);
        }
        catch (Exception e) when (Unverifiable(e))
        {
            Interlocked.Increment(ref counters.DisplaysDropped);
        }
    }

    // Malformed (Cbor/Cose/MessageFormatException are FormatExceptions), an unknown kid, or a bad signature.
    private static bool Unverifiable(Exception e) => e is FormatException or UntrustedSignerException or CoseSignatureException;
}

/// <summary>An ack that passed every check of §7.3 on the meter it was addressed to.</summary>
public sealed record VerifiedAck(string MeterId, GatewayAck Ack);

/// <summary>What every meter's downlink verified and dropped; fields so they can be incremented atomically from receive threads.</summary>
public sealed class DownlinkCounters
{
    public long AcksVerified;
    public long AcksDropped;
    public long DisplaysVerified;
    public long DisplaysDropped;
    public long OtherDropped;
    /// <summary>Proof messages that arrived on the meters' proofs topics (what the light clients made of them is counted by the simulation).</summary>
    public long ProofsReceived;
}
