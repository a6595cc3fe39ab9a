using System;
using System.Collections.Generic;
using System.Formats.Cbor;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using CommunityGrid.Chain.State;
using CommunityGrid.Formats.Cose;
using CommunityGrid.Formats.Signing;
using CommunityGrid.Node.Acks;
using CommunityGrid.Node.Ingest;
using MQTTnet;
using System.Buffers;
using MQTTnet.Formatter;
using MQTTnet.Protocol;

namespace CommunityGrid.Ingest.Load;

/// <summary>
/// The meters: one MQTT 5 client each on loopback, logged in as the meter, subscribed to its acks topic, publishing its
/// pre-signed readings at QoS 1 in sequence order with at most <see cref="Window"/> in flight (as a meter does,
/// docs/protocol.md §7.2). A reading the gateway refuses for capacity (PUBACK "quota exceeded") is sent again, with
/// everything after it, after <see cref="RefusedPause"/>. A reading still unreleased <see cref="ResendAfter"/> after the meter
/// sent its last one is sent again, as a meter resends its window (the gateway answers "already committed").
/// Releases are cumulative, as on a meter (§7.3): an ack releases its reading and every one below it; each reading is
/// counted once, by the status of the ack that released it. As <see cref="LightClients"/> the meters also subscribe to
/// their proofs topic and release committed readings only on a proof message (§7.6, §7.7): through the last sequence
/// its meter entry names. The harness reads that entry and does not verify the certificate or the paths (the meter's
/// work, not the gateway's, which is what is measured). The run ends when every reading is released.
/// </summary>
public sealed class MeterFleet : IAsyncDisposable
{
    public const int Window = 32;
    /// <summary>
    /// How long a meter refused for capacity waits before sending again. A real meter waits its resendSeconds (30 s);
    /// shorter keeps the mempool full for a capacity figure, but not so short that refused resends become the load
    /// (at 100 ms they were most of what the gateway did, and starved block production and acks).
    /// </summary>
    private static readonly TimeSpan RefusedPause = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan ResendAfter = TimeSpan.FromSeconds(30);
    private readonly Dictionary<string, int> meterIndex = new(StringComparer.Ordinal);
    // Per meter: how many of its readings (1..n) are released; raised only by compare-and-swap (Release).
    private readonly int[] releasedThrough;
    private long resent;
    private long proofMessages;
    private readonly LoadCommunity community;
    private readonly IMqttClient[] clients;
    private readonly MqttApplicationMessage[][] messages;
    private readonly TaskCompletionSource allAcked = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long committed, rejected, acked, refusals;

    public MeterFleet(LoadCommunity community, bool lightClients)
    {
        this.community = community;
        LightClients = lightClients;
        clients = new IMqttClient[community.Meters];
        var topics = new MeterTopics(LoadCommunity.ChainId);
        messages = community.Readings.Select((readings, m) => readings.Select(r => new MqttApplicationMessageBuilder()
            .WithTopic(topics.Readings(LoadCommunity.MeterId(m)))
            .WithPayload(r)
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
            .Build()).ToArray()).ToArray();
        releasedThrough = new int[community.Meters];
        for (int m = 0; m < community.Meters; m++) meterIndex[LoadCommunity.MeterId(m)] = m;
    }

    /// <summary>Meters that subscribe to their proofs and release committed readings only on proof messages.</summary>
    public bool LightClients { get; }

    /// <summary>Readings sent again because their ack had not come <see cref="ResendAfter"/> after the meter's last publish.</summary>
    public long Resent => Interlocked.Read(ref resent);

    /// <summary>Proof messages the light-client meters received, retained copies at login included: each costs the gateway one message to build and send.</summary>
    public long ProofMessages => Interlocked.Read(ref proofMessages);

    public long Committed => Interlocked.Read(ref committed);

    public long Rejected => Interlocked.Read(ref rejected);

    /// <summary>Publishes the gateway refused for capacity (each sent again).</summary>
    public long Refusals => Interlocked.Read(ref refusals);

    /// <summary>Connects meter m to the broker on ports[m % ports.Count], at most 32 logins at a time.</summary>
    public async Task ConnectAsync(IReadOnlyList<int> ports)
    {
        var topics = new MeterTopics(LoadCommunity.ChainId);
        using var connecting = new SemaphoreSlim(32);
        await Task.WhenAll(Enumerable.Range(0, clients.Length).Select(async m =>
        {
            await connecting.WaitAsync();
            try
            {
                string meterId = LoadCommunity.MeterId(m);
                using Ed25519Signer key = community.MeterSeeds[m].CreateSigner();
                IMqttClient client = new MqttClientFactory().CreateMqttClient();
                string proofsTopic = topics.Proofs(meterId);
                client.ApplicationMessageReceivedAsync += e =>
                {
                    if (e.ApplicationMessage.Topic == proofsTopic) TakeProof(m, e.ApplicationMessage.Payload.ToArray());
                    else TakeAck(e.ApplicationMessage.Payload.ToArray());
                    return Task.CompletedTask;
                };
                clients[m] = client;
                MqttClientOptions options = new MqttClientOptionsBuilder()
                    .WithTcpServer("127.0.0.1", ports[m % ports.Count])
                    .WithProtocolVersion(MqttProtocolVersion.V500)
                    .WithClientId("cgrid-meter-" + meterId)
                    .WithCredentials(meterId, MqttPassword.For(LoadCommunity.ChainId, meterId, key))
                    // No keep-alive pings and a long timeout: on a loaded machine a late PINGRESP or PUBACK must not end the run.
                    .WithKeepAlivePeriod(TimeSpan.Zero)
                    .WithTimeout(TimeSpan.FromMinutes(5))
                    .Build();
                MqttClientConnectResult connected = await client.ConnectAsync(options);
                if (connected.ResultCode != MqttClientConnectResultCode.Success)
                {
                    throw new InvalidOperationException($"meter {meterId} could not log in: {connected.ResultCode} {connected.ReasonString}");
                }
                // A light client takes its proofs before its acks, as the meters subscribe in one packet (docs/protocol.md §7.1).
                if (LightClients) await client.SubscribeAsync(proofsTopic, MqttQualityOfServiceLevel.AtLeastOnce);
                await client.SubscribeAsync(topics.Acks(meterId), MqttQualityOfServiceLevel.AtLeastOnce);
            }
            finally
            {
                connecting.Release();
            }
        }));
    }

    /// <summary>Every meter publishes all its readings; completes when each reading has an ack, or throws at the time limit.</summary>
    public async Task PublishAllAsync(TimeSpan limit)
    {
        using var stop = new CancellationTokenSource(limit);
        Task publishing = Task.WhenAll(Enumerable.Range(0, clients.Length).Select(m => Task.Run(() => PublishMeterAsync(m, stop.Token))));
        Task finished = await Task.WhenAny(allAcked.Task, publishing, Task.Delay(limit));
        // A meter that failed (a publish refused for anything but capacity) ends the run with its reason.
        if (finished == publishing && publishing.IsFaulted) await publishing;
        if (finished == publishing) finished = await Task.WhenAny(allAcked.Task, Task.Delay(limit));
        if (finished != allAcked.Task)
        {
            throw new TimeoutException($"not every reading was released within {limit.TotalSeconds:0} s: {Interlocked.Read(ref acked)} of {community.TotalReadings} readings, {Refusals} refusals");
        }
        // Every reading is acknowledged: the meters' resend timers have nothing left to do. Waiting for them (as the harness
        // did before 2026-12-05) added up to ResendAfter, 30 s, of idle time to every run's wall time.
        stop.Cancel();
        try
        {
            await publishing;
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task PublishMeterAsync(int meter, CancellationToken stop)
    {
        IMqttClient client = clients[meter];
        MqttApplicationMessage[] own = messages[meter];
        int next = 0;
        while (next < own.Length && !stop.IsCancellationRequested)
        {
            int end = Math.Min(next + Window, own.Length);
            var window = new Task<MqttClientPublishResult>[end - next];
            for (int i = next; i < end; i++) window[i - next] = client.PublishAsync(own[i], stop);
            MqttClientPublishResult[] results = await Task.WhenAll(window);
            int refused = Array.FindIndex(results, r => !r.IsSuccess);
            if (refused < 0)
            {
                next = end;
                continue;
            }
            if (results[refused].ReasonCode != MqttClientPublishReasonCode.QuotaExceeded)
            {
                throw new InvalidOperationException($"meter {LoadCommunity.MeterId(meter)}: publish refused {results[refused].ReasonCode} {results[refused].ReasonString}");
            }
            Interlocked.Increment(ref refusals);
            next += refused;
            await Task.Delay(RefusedPause, stop);
        }
        while (!stop.IsCancellationRequested)
        {
            await Task.Delay(ResendAfter, stop);
            var missing = Enumerable.Range(Volatile.Read(ref releasedThrough[meter]), own.Length - Volatile.Read(ref releasedThrough[meter])).ToList();
            if (missing.Count == 0) return;
            foreach (int i in missing)
            {
                Interlocked.Increment(ref resent);
                await client.PublishAsync(own[i], stop);
            }
        }
    }

    /// <summary>Counts an ack by its status (docs/protocol.md §7.3, key 4); the signature is the gateway's business, not the load's.</summary>
    private void TakeAck(byte[] signedAck)
    {
        DecodedCoseSign1 cose = CoseSign1Codec.Decode(signedAck, ReadingAck.ContentType);
        var reader = new CborReader(cose.Payload, CborConformanceMode.Canonical);
        int? entries = reader.ReadStartMap();
        var status = AckStatus.Rejected;
        string meterId = "";
        long sequence = 0;
        for (int i = 0; i < entries; i++)
        {
            switch (reader.ReadInt32())
            {
                case 2: meterId = reader.ReadTextString(); break;
                case 3: sequence = reader.ReadInt64(); break;
                case 4: status = (AckStatus)reader.ReadInt32(); break;
                default: reader.SkipValue(); break;
            }
        }
        if (!meterIndex.TryGetValue(meterId, out int meter)) return;
        // A light client releases nothing on a committed or already-committed ack: it waits for the proof (§7.7).
        if (LightClients && status != AckStatus.Rejected) return;
        Release(meter, sequence, status == AckStatus.Rejected);
    }

    /// <summary>A proof message (docs/protocol.md §7.6): releases through the last sequence its meter entry (key 5) names.</summary>
    private void TakeProof(int meter, byte[] message)
    {
        Interlocked.Increment(ref proofMessages);
        var reader = new CborReader(message, CborConformanceMode.Canonical);
        int? entries = reader.ReadStartMap();
        for (int i = 0; i < entries; i++)
        {
            if (reader.ReadInt32() != 5)
            {
                reader.SkipValue();
                continue;
            }
            reader.ReadStartArray();
            Release(meter, MeterRecord.Decode(reader.ReadByteString()).LastSequence, rejection: false);
            return;
        }
    }

    /// <summary>Releases the meter's readings through <paramref name="sequence"/>, each counted once (a resent reading may be answered twice).</summary>
    private void Release(int meter, long sequence, bool rejection)
    {
        int upTo = (int)Math.Min(sequence, messages[meter].Length);
        int newly;
        // Raise the meter's mark with a compare-and-swap, so two acks racing for one meter count each reading once.
        while (true)
        {
            int through = Volatile.Read(ref releasedThrough[meter]);
            if (upTo <= through) return;
            if (Interlocked.CompareExchange(ref releasedThrough[meter], upTo, through) == through)
            {
                newly = upTo - through;
                break;
            }
        }
        // A rejection releases the readings below it too (§7.3); only its own counts as rejected.
        if (rejection)
        {
            Interlocked.Increment(ref rejected);
            Interlocked.Add(ref committed, newly - 1);
        }
        else
        {
            Interlocked.Add(ref committed, newly);
        }
        if (Interlocked.Add(ref acked, newly) == community.TotalReadings) allAcked.TrySetResult();
    }

    public async ValueTask DisposeAsync()
    {
        foreach (IMqttClient client in clients.Where(c => c is not null))
        {
            try
            {
                if (client.IsConnected) await client.DisconnectAsync();
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // The gateway may be gone already; the run's figures are taken.
            }
            client.Dispose();
        }
    }
}
