using CommunityGrid.Peering.Transport;
using System;
using System.Buffers;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Channels;
using System.Threading.Tasks;
using CommunityGrid.Api;
using CommunityGrid.Formats.Signing;
using CommunityGrid.Meter.LightClient;
using CommunityGrid.Meter.Messaging;
using CommunityGrid.Node.Ingest;
using MQTTnet;
using MQTTnet.Protocol;

namespace CommunityGrid.Simulation.Pipeline;

/// <summary>
/// The meters' side of the MQTT path, shared by <see cref="MqttTransport"/> (one gateway) and
/// <see cref="ClusterTransport"/> (one per street): one MQTT client per meter that logs in with its key-derived
/// password to a gateway's embedded broker, publishes QoS 1 to its own readings topic, subscribes to its acks and
/// display and proofs topics and checks every ack and display message with the meter core (<see cref="MeterDownlink"/>).
/// The meters are light clients (docs/protocol.md §7.6, §7.7): a committed reading leaves a queue only on a verified
/// proof (<see cref="TakeProofs"/>, applied by each meter's <c>MeterLightClient</c> on the simulation loop), while a
/// verified rejection ack releases it as on a real meter. Since every session of theirs takes proofs, the gateways
/// sign and send them no committed or already-committed ack (the embedded broker knows, §7.7): those are counted from
/// the gateways' ack hooks (<see cref="Released"/>), which see every ack as before. The hooks also count the
/// rejections released, so <see cref="TakeAcksAsync"/> can wait for exactly those to arrive, and then for proof
/// messages covering every committed reading, instead of depending on thread timing.
/// </summary>
public sealed class MqttMeters : IAsyncDisposable
{
    /// <summary>Wall time to wait for released acks before carrying on without them (the meters then resend).</summary>
    public static readonly TimeSpan AckWaitLimit = TimeSpan.FromSeconds(10);

    /// <summary>Wall time to wait for the proof messages of the committed acks before carrying on without them (the meters then resend).</summary>
    public static readonly TimeSpan ProofWaitLimit = TimeSpan.FromSeconds(10);

    private readonly string chainId;
    private readonly IReadOnlyDictionary<string, byte[]> meterSeeds;
    private readonly SodiumSignedMessages signers;
    private readonly ConcurrentQueue<VerifiedAck> verified = new();
    private readonly ConcurrentQueue<ProofDelivery> proofs = new();
    // The highest last sequence a meter's received proof messages name, read without believing them: only the wait
    // uses it, to know that the message which will release a committed reading has arrived. The light client decides.
    private readonly ConcurrentDictionary<string, long> claimedThrough = new(StringComparer.Ordinal);
    private readonly List<ProofDelivery> arrivedProofs = [];
    private readonly IReadOnlySet<string> metersLeaving;
    private readonly ConcurrentDictionary<string, long> releasedPerMeter = new(StringComparer.Ordinal);
    // The committed and already-committed acks the gateways released: counted from here, not from the broker (see above).
    private readonly ConcurrentQueue<CommunityGrid.Node.Acks.ReadingAck> releaseAcks = new();
    // Release acks of a gateway that stopped before the step took them: counted, but no proof is awaited for them (loop thread only).
    private readonly List<CommunityGrid.Node.Acks.ReadingAck> releaseAcksOfStops = [];
    private readonly Dictionary<string, MeterDownlink> downlinks = new(StringComparer.Ordinal);
    // Wakes the simulation loop when what it waits for may be complete (the ack count it waits for, or a proof for the
    // last meter it still waits on), not on every message: a 100-house day brings tens of thousands of messages, and
    // every wake-up was a thread-pool hop and another look at the queue and at every owed meter.
    private readonly SemaphoreSlim waitOver = new(0);
    private long acksArrived;                       // verified rejection acks ever queued
    private long ackGoal = long.MaxValue;           // the count TakeAcksAsync waits for; MaxValue while it does not wait
    private ConcurrentDictionary<string, long>? proofsOwed;     // meters ProofsArrivedAsync still waits on, null while it does not
    private readonly Channel<Action> displayChecks = Channel.CreateUnbounded<Action>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Task displayPump;
    private readonly Dictionary<string, (IMqttClient Client, int Port)> clients = new(StringComparer.Ordinal);
    private long released;          // rejection acks the gateways released (their hooks), the target of the wait
    private long lostInStops;       // rejections released but never delivered because a gateway stopped
    private long handedOut;         // verified rejection acks returned to the simulation so far (loop thread only)

    public MqttMeters(TransportContext context)
    {
        chainId = context.Genesis.ChainId;
        metersLeaving = context.MetersLeaving;
        meterSeeds = context.Community.Meters.ToDictionary(m => m.MeterId, m => m.KeySeed, StringComparer.Ordinal);
        // A meter is configured with the gateway/validator keys it believes: here the genesis validator set.
        signers = new SodiumSignedMessages(context.Genesis.Validators.Select(v => Convert.FromHexString(v.PublicKey)).ToArray());
        // One background reader, so display checks use the spare core instead of delaying acks.
        displayPump = Task.Run(async () =>
        {
            await foreach (Action check in displayChecks.Reader.ReadAllAsync()) check();
        });
    }

    /// <summary>What all meters verified and dropped on their acks and display topics.</summary>
    public DownlinkCounters Downlink { get; } = new();

    /// <summary>Each meter's downlink, once the meter has connected.</summary>
    public IReadOnlyDictionary<string, MeterDownlink> Downlinks => downlinks;

    /// <summary>How many acks the gateways released for a meter (whether or not they arrived).</summary>
    public long ReleasedFor(string meterId) => releasedPerMeter.GetValueOrDefault(meterId);

    /// <summary>
    /// A gateway's ack hook (<c>NodeOptions.OnAck</c>), which sees every ack the gateway releases: a rejection is only
    /// counted (it reaches the meter through the broker), a committed or already-committed ack is kept to be counted
    /// by the step (the gateway does not send it to these light-client meters).
    /// </summary>
    public void Released(CommunityGrid.Node.Acks.ReadingAck ack)
    {
        releasedPerMeter.AddOrUpdate(ack.MeterId, 1, (_, n) => n + 1);
        if (ack.Status == CommunityGrid.Node.Acks.AckStatus.Rejected) Interlocked.Increment(ref released);
        else releaseAcks.Enqueue(ack);
    }

    /// <summary>Publishes one reading QoS 1 to the broker on <paramref name="port"/>, (re)connecting the meter there first if needed.</summary>
    /// <exception cref="MQTTnet.Exceptions.MqttCommunicationException">not delivered (broker down, login refused): the meter keeps it queued.</exception>
    public async ValueTask PublishAsync(string meterId, byte[] signedReading, int port)
    {
        IMqttClient client = await ClientAsync(meterId, port);
        MqttApplicationMessage message = new MqttApplicationMessageBuilder()
            .WithTopic(new MeterTopics(chainId).Readings(meterId))
            .WithPayload(signedReading)
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
            .Build();
        await client.PublishAsync(message);
    }

    /// <summary>
    /// The verified rejection acks that have arrived, waiting until every rejection the gateways released so far is
    /// among them or the limit passes, counted into <paramref name="stats"/> by what the meters were told. Counting
    /// what is taken from the queue (not a counter bumped elsewhere) leaves no window in which an ack is counted but
    /// not yet takeable. The committed and already-committed acks released so far are counted from the hooks' queue.
    /// Then waits until, for every committed ack, a proof message naming that sequence or a later one has arrived
    /// for its meter, and keeps the proof messages received so far for <see cref="TakeProofs"/>. Returns the
    /// rejections only: a light-client meter releases nothing on a committed ack (§7.7).
    /// </summary>
    public async Task<List<ReadingAck>> TakeAcksAsync(TransportStats stats)
    {
        var taken = new List<VerifiedAck>();
        long target = Interlocked.Read(ref released) - lostInStops;
        // Every ack ever queued is handed out, taken or still queued, so "handedOut + taken >= target" becomes true no
        // later than the Accept that brings acksArrived to the goal, which is the one that wakes this loop.
        Interlocked.Exchange(ref ackGoal, target);
        Stopwatch? waited = null;
        while (true)
        {
            while (verified.TryDequeue(out VerifiedAck? ack)) taken.Add(ack);
            if (handedOut + taken.Count >= target) break;
            waited ??= Stopwatch.StartNew();
            TimeSpan left = AckWaitLimit - waited.Elapsed;
            // The semaphore may hold releases from earlier waits; that only costs another look at the queue.
            if (left <= TimeSpan.Zero || !await waitOver.WaitAsync(left))
            {
                stats.AckWaitTimeouts++;
                break;
            }
        }
        Interlocked.Exchange(ref ackGoal, long.MaxValue);
        handedOut += taken.Count;
        var rejections = new List<ReadingAck>();
        var owed = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (VerifiedAck v in taken)
        {
            string reason = v.Ack.Reason?.Split(':')[0] ?? "Rejected";
            stats.Rejections[reason] = stats.Rejections.GetValueOrDefault(reason) + 1;
            rejections.Add(new ReadingAck(v.MeterId, v.Ack.Sequence));
        }
        foreach (CommunityGrid.Node.Acks.ReadingAck ack in releaseAcksOfStops) CountRelease(stats, ack);
        releaseAcksOfStops.Clear();
        while (releaseAcks.TryDequeue(out CommunityGrid.Node.Acks.ReadingAck? ack))
        {
            CountRelease(stats, ack);
            if (!metersLeaving.Contains(ack.MeterId)) owed[ack.MeterId] = Math.Max(owed.GetValueOrDefault(ack.MeterId), ack.Sequence);
        }
        if (!await ProofsArrivedAsync(owed)) stats.ProofWaitTimeouts++;
        while (proofs.TryDequeue(out ProofDelivery? proof)) arrivedProofs.Add(proof);
        return rejections;
    }

    private static void CountRelease(TransportStats stats, CommunityGrid.Node.Acks.ReadingAck ack)
    {
        if (ack.Status == CommunityGrid.Node.Acks.AckStatus.Committed) stats.ReadingsAccepted++;
        else stats.Duplicates++;
    }

    /// <summary>The proof messages received since the last call, in arrival order per meter, for the meters' light clients.</summary>
    public List<ProofDelivery> TakeProofs()
    {
        var taken = new List<ProofDelivery>(arrivedProofs);
        arrivedProofs.Clear();
        return taken;
    }

    private async Task<bool> ProofsArrivedAsync(Dictionary<string, long> owed)
    {
        // Most steps (every 5 simulated seconds) commit nothing: no proof is owed, nothing to publish or wait for.
        if (owed.Count == 0) return true;
        var pending = new ConcurrentDictionary<string, long>(owed, StringComparer.Ordinal);
        // Published before looking at the claims (a full fence each side, see ReceiveProof): a claim made before this
        // is seen by the look below, one made after it finds the meter in pending; whoever removes a meter counts it.
        Interlocked.Exchange(ref proofsOwed, pending);
        try
        {
            foreach ((string meterId, long sequence) in owed)
            {
                if (claimedThrough.GetValueOrDefault(meterId) >= sequence) pending.TryRemove(meterId, out _);
            }
            Stopwatch? waited = null;
            while (!pending.IsEmpty)
            {
                waited ??= Stopwatch.StartNew();
                TimeSpan left = ProofWaitLimit - waited.Elapsed;
                if (left <= TimeSpan.Zero || !await waitOver.WaitAsync(left)) return false;
            }
            return true;
        }
        finally
        {
            Interlocked.Exchange(ref proofsOwed, null);
        }
    }

    /// <summary>
    /// A gateway stopped: rejections it released but could no longer deliver will never arrive, nor may the proofs of
    /// what it committed last; the meters resend those readings, as real ones would.
    /// </summary>
    public void ForgetUndelivered()
    {
        lostInStops = Interlocked.Read(ref released) - handedOut - verified.Count;
        while (releaseAcks.TryDequeue(out CommunityGrid.Node.Acks.ReadingAck? ack)) releaseAcksOfStops.Add(ack);
    }

    public void CopyCounters(TransportStats stats)
    {
        stats.AcksVerified = Interlocked.Read(ref Downlink.AcksVerified);
        stats.AcksDropped = Interlocked.Read(ref Downlink.AcksDropped);
        stats.DisplaysVerified = Interlocked.Read(ref Downlink.DisplaysVerified);
        stats.DisplaysDropped = Interlocked.Read(ref Downlink.DisplaysDropped);
        stats.ProofsReceived = Interlocked.Read(ref Downlink.ProofsReceived);
    }

    /// <summary>Disconnects the meters logged in to the broker on <paramref name="port"/>, or all of them when null.</summary>
    public async Task DisconnectAsync(int? port = null)
    {
        foreach ((string meterId, (IMqttClient client, int at)) in clients.Where(c => port is null || c.Value.Port == port).ToList())
        {
            if (client.IsConnected)
            {
                try
                {
                    await client.DisconnectAsync();
                }
                catch (MQTTnet.Exceptions.MqttCommunicationException)
                {
                    // The broker went first; the client is closed either way.
                }
            }
            client.Dispose();
            clients.Remove(meterId);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await DisconnectAsync();
        // Finish the display checks already received, so the totals are final when the run reports them.
        displayChecks.Writer.TryComplete();
        await displayPump;
        waitOver.Dispose();
    }

    private async ValueTask<IMqttClient> ClientAsync(string meterId, int port)
    {
        if (clients.TryGetValue(meterId, out var known))
        {
            if (known.Port == port && known.Client.IsConnected) return known.Client;
            if (known.Port != port)
            {
                // The meter moves to another gateway (failover, or back to its own street's).
                if (known.Client.IsConnected) await known.Client.DisconnectAsync();
                known.Client.Dispose();
                clients.Remove(meterId);
                known = default;
            }
        }
        IMqttClient? client = known.Client;
        if (client is null)
        {
            client = new MqttClientFactory().CreateMqttClient();
            if (!downlinks.TryGetValue(meterId, out MeterDownlink? downlink))
            {
                downlink = new MeterDownlink(chainId, meterId, signers, Downlink, Accept, check => displayChecks.Writer.TryWrite(check), ReceiveProof);
                downlinks[meterId] = downlink;
            }
            client.ApplicationMessageReceivedAsync += e =>
            {
                downlink.Receive(e.ApplicationMessage.Topic, e.ApplicationMessage.Payload.ToArray());
                return Task.CompletedTask;
            };
        }
        using Ed25519Signer key = Ed25519Signer.FromSeed(meterSeeds[meterId]);
        MqttClientOptions options = new MqttClientOptionsBuilder()
            .WithTcpServer(IPAddress.Loopback.ToString(), port)
            .WithClientId("sim-" + meterId)
            .WithCredentials(meterId, MqttPassword.For(chainId, meterId, key))
            .WithCleanSession(false)
            .Build();
        clients[meterId] = (client, port);
        MqttClientConnectResult connected = await client.ConnectAsync(options);
        if (connected.ResultCode != MqttClientConnectResultCode.Success)
        {
            throw new MQTTnet.Exceptions.MqttCommunicationException($"meter {meterId} could not log in: {connected.ResultCode} {connected.ReasonString}");
        }
        // As a real meter does after every connect (protocol §7.1), before its first reading can earn an ack.
        MeterDownlink own = downlinks[meterId];
        await client.SubscribeAsync(new MqttClientSubscribeOptionsBuilder()
            .WithTopicFilter(own.AcksTopic, MqttQualityOfServiceLevel.AtLeastOnce)
            .WithTopicFilter(own.DisplayTopic, MqttQualityOfServiceLevel.AtLeastOnce)
            .WithTopicFilter(own.ProofsTopic, MqttQualityOfServiceLevel.AtLeastOnce)
            .Build());
        return client;
    }

    private void Accept(VerifiedAck ack)
    {
        // A committed ack reaches a meter only in a moment its session has subscribed to acks but not yet to proofs
        // (the gateway sends when in doubt); it is verified and counted by the downlink, and counted here from the hook.
        if (ack.Ack.Status != AckStatus.Rejected) return;
        verified.Enqueue(ack);
        if (Interlocked.Increment(ref acksArrived) >= Interlocked.Read(ref ackGoal)) waitOver.Release();
    }

    private void ReceiveProof(string meterId, byte[] payload)
    {
        Interlocked.Increment(ref Downlink.ProofsReceived);
        long claimed = ClaimedSequence(payload);
        // Queued before the claim is recorded, so a wait that sees the claim finds the message in the queue.
        proofs.Enqueue(new ProofDelivery(meterId, payload));
        long through = claimedThrough.AddOrUpdate(meterId, claimed, (_, known) => Math.Max(known, claimed));
        Interlocked.MemoryBarrier();
        if (Volatile.Read(ref proofsOwed) is { } pending && pending.TryGetValue(meterId, out long sequence) && through >= sequence
            && pending.TryRemove(meterId, out _) && pending.IsEmpty)
        {
            waitOver.Release();
        }
    }

    /// <summary>The last sequence the message's meter entry names, unverified (0 when it does not decode: the light client will refuse it).</summary>
    private static long ClaimedSequence(byte[] payload)
    {
        try
        {
            return MeterStateEntry.Decode(ProofMessage.Decode(payload).MeterEntry).LastSequence;
        }
        catch (FormatException)
        {
            return 0;
        }
    }
}
