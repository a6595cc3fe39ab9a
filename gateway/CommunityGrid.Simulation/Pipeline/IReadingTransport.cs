using System;
using System.Collections.Generic;
using System.Threading.Tasks;

namespace CommunityGrid.Simulation.Pipeline;

/// <summary>
/// Everything between a meter's queue and the chain: the transport (direct hand-over, or MQTT through a broker) and
/// the gateway that makes blocks. The simulation loop only publishes readings, moves time forward and collects
/// acknowledgements, so swapping the direct path for MQTT + the gateway node host changes nothing else.
/// </summary>
public interface IReadingTransport : IAsyncDisposable
{
    /// <summary>Short name for the report: "direct" or "mqtt".</summary>
    string Name { get; }

    /// <summary>Submits administrative transactions (the enrolments) as the installer's tool would.</summary>
    ValueTask SubmitAsync(IReadOnlyList<byte[]> transactions);

    /// <summary>A meter publishes one signed reading (MQTT: QoS 1 to its own topic).</summary>
    ValueTask PublishAsync(string meterId, long sequence, byte[] signedReading);

    /// <summary>
    /// Lets the gateway side run up to <paramref name="nowMs"/> (virtual time): what was published is delivered and
    /// any block that is due is made. Returns the acknowledgements the meters receive as a result.
    /// </summary>
    ValueTask<IReadOnlyList<ReadingAck>> AdvanceAsync(long nowMs);

    /// <summary>
    /// The proof messages (docs/protocol.md §7.6) the meters received during the last <see cref="AdvanceAsync"/>,
    /// for their light clients; none on a transport without a broker (the direct path releases on its acks). No
    /// default: a transport wrapper that forgot to pass proofs on would leave every meter's queue full.
    /// </summary>
    IReadOnlyList<ProofDelivery> TakeProofs();

    /// <summary>Failure injection: stop the gateway and start it again (reopening, and so verifying, its chain).</summary>
    ValueTask RestartGatewayAsync(long nowMs);

    TransportStats Stats { get; }
}

/// <summary>
/// The meter may release its queue through this reading. Direct path: the gateway committed (or had already committed)
/// it. MQTT: the gateway rejected it (a signed rejection ack, protocol §7.7); committed readings are released by proofs.
/// </summary>
public sealed record ReadingAck(string MeterId, long Sequence);

/// <summary>A proof message as it arrived on a meter's proofs topic: not yet believed, the meter's light client decides.</summary>
public sealed record ProofDelivery(string MeterId, byte[] Payload);

/// <summary>Counters and time the gateway side spent, for the progress bar, the summary and the benchmark.</summary>
public sealed class TransportStats
{
    public long Blocks { get; set; }
    public long ReadingsAccepted { get; set; }
    public long Duplicates { get; set; }
    public SortedDictionary<string, long> Rejections { get; } = new(StringComparer.Ordinal);
    public int Restarts { get; set; }
    /// <summary>Publishes that did not reach the broker; the meter resends them.</summary>
    public long PublishFailures { get; set; }
    /// <summary>MQTT: acks the meters verified (gateway signature, their chain and id) and acted on.</summary>
    public long AcksVerified { get; set; }
    /// <summary>MQTT: acks the meters dropped unverified (protocol §7.3, <c>ack.dropped</c>).</summary>
    public long AcksDropped { get; set; }
    public long DisplaysVerified { get; set; }
    public long DisplaysDropped { get; set; }
    /// <summary>MQTT: steps where a block's acks did not all arrive within the wait limit (the run may then differ).</summary>
    public long AckWaitTimeouts { get; set; }
    /// <summary>MQTT: proof messages the meters received on their proofs topics.</summary>
    public long ProofsReceived { get; set; }
    /// <summary>MQTT: steps where the proof messages for the committed acks did not all arrive within the wait limit (the run may then differ).</summary>
    public long ProofWaitTimeouts { get; set; }
    /// <summary>Several gateways: times a gateway was taken down.</summary>
    public int GatewayStops { get; set; }
    /// <summary>Several gateways: steps where the cluster did not settle (every running gateway at one height, nothing pending) within the wait limit.</summary>
    public long SettleWaitTimeouts { get; set; }
    /// <summary>Several gateways: steps whose transactions had not reached every gateway's mempool within the wait limit.</summary>
    public long GossipWaitTimeouts { get; set; }
    public TimeSpan Transport { get; set; }
    public TimeSpan Gateway { get; set; }
}
