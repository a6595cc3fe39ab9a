using System;
using System.Collections.Generic;
using System.Formats.Cbor;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
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
/// everything after it, after <see cref="RefusedPause"/>. A reading still without an ack <see cref="ResendAfter"/> after the meter
/// sent its last one is sent again, as a meter resends its window (the gateway answers "already committed"). Acks are
/// counted once per reading, by status; the run ends when every reading has one.
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
    private readonly int[][] ackedReadings;
    private long resent;
    private readonly LoadCommunity community;
    private readonly IMqttClient[] clients;
    private readonly MqttApplicationMessage[][] messages;
    private readonly TaskCompletionSource allAcked = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long committed, rejected, acked, refusals;

    public MeterFleet(LoadCommunity community)
    {
        this.community = community;
        clients = new IMqttClient[community.Meters];
        var topics = new MeterTopics(LoadCommunity.ChainId);
        messages = community.Readings.Select((readings, m) => readings.Select(r => new MqttApplicationMessageBuilder()
            .WithTopic(topics.Readings(LoadCommunity.MeterId(m)))
            .WithPayload(r)
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
            .Build()).ToArray()).ToArray();
        ackedReadings = community.Readings.Select(r => new int[r.Length]).ToArray();
        for (int m = 0; m < community.Meters; m++) meterIndex[LoadCommunity.MeterId(m)] = m;
    }

    /// <summary>Readings sent again because their ack had not come <see cref="ResendAfter"/> after the meter's last publish.</summary>
    public long Resent => Interlocked.Read(ref resent);

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
                client.ApplicationMessageReceivedAsync += e =>
                {
                    TakeAck(e.ApplicationMessage.Payload.ToArray());
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
            throw new TimeoutException($"not every reading was acknowledged within {limit.TotalSeconds:0} s: {Interlocked.Read(ref acked)} of {community.TotalReadings} acks, {Refusals} refusals");
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
            var missing = Enumerable.Range(0, own.Length).Where(i => Volatile.Read(ref ackedReadings[meter][i]) == 0).ToList();
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
        // A resent reading may be answered twice; it counts once.
        if (!meterIndex.TryGetValue(meterId, out int meter) || sequence < 1 || sequence > ackedReadings[meter].Length) return;
        if (Interlocked.Exchange(ref ackedReadings[meter][sequence - 1], 1) != 0) return;
        if (status == AckStatus.Rejected) Interlocked.Increment(ref rejected);
        else Interlocked.Increment(ref committed);
        if (Interlocked.Increment(ref acked) == community.TotalReadings) allAcked.TrySetResult();
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
