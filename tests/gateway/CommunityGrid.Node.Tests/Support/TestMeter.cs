using System;
using System.Buffers;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using CommunityGrid.Formats.Signing;
using CommunityGrid.Meter.Messaging;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;

namespace CommunityGrid.Node.Tests.Support;

/// <summary>
/// A meter as the tests need it: signs readings with increasing sequence and registers, keeps every reading until
/// a gateway-signed ack for it or a later one arrives (acks are cumulative, docs/protocol.md §7.3), publishes in sequence order (resending from the oldest after a reconnect or
/// a timeout), and reconnects when the broker goes away.
/// The MQTT password and the ack decoding use the meter's own portable code (Meter.Core).
/// </summary>
public sealed class TestMeter : IAsyncDisposable
{
    private static readonly TimeSpan ResendAfter = TimeSpan.FromSeconds(1.5);

    private readonly string meterId;
    private readonly Ed25519Signer key;
    private readonly string host;
    private readonly int port;
    private readonly string password;
    private readonly TrustedSigners gateways;
    private readonly IMqttClient client;
    private readonly object gate = new();
    private readonly SortedDictionary<long, (byte[] Bytes, DateTime LastSent)> unacked = new();
    private readonly CancellationTokenSource stop = new();
    private Task? running;
    private long sequence;
    private long importWh;
    private long released;

    public TestMeter(string meterId, Ed25519Signer key, byte[] seed, byte[] gatewayKey, int port, string host = "127.0.0.1", string? password = null)
    {
        this.meterId = meterId;
        this.key = key;
        this.host = host;
        this.port = port;
        this.password = password ?? MqttCredentials.Password(TestGrid.ChainId, meterId, seed);
        gateways = new TrustedSigners([gatewayKey]);
        client = new MqttClientFactory().CreateMqttClient();
        client.ApplicationMessageReceivedAsync += e =>
        {
            TakeAck(e.ApplicationMessage.Payload.ToArray());
            return Task.CompletedTask;
        };
    }

    public string MeterId => meterId;

    /// <summary>
    /// Every ack received, by sequence; a later ack for the same sequence is kept in <see cref="Conflicts"/> if it
    /// disagrees. The gateway may answer several readings with one ack for the highest: count <see cref="Released"/>.
    /// </summary>
    public ConcurrentDictionary<long, GatewayAck> Acks { get; } = new();

    public ConcurrentQueue<string> Conflicts { get; } = new();

    public int Unacked
    {
        get { lock (gate) return unacked.Count; }
    }

    public long Generated => Interlocked.Read(ref sequence);

    /// <summary>Readings acks have released from the queue so far (each ack releases its reading and every one below it).</summary>
    public long Released => Interlocked.Read(ref released);

    /// <summary>Signs the next reading (1 Wh more imported) and queues it for sending.</summary>
    public void Produce(int count = 1)
    {
        lock (gate)
        {
            for (int i = 0; i < count; i++)
            {
                long seq = Interlocked.Increment(ref sequence);
                importWh += 1 + seq % 7;
                unacked[seq] = (TestGrid.Reading(key, meterId, seq, importWh), DateTime.MinValue);
            }
        }
    }

    /// <summary>Queues bytes of the test's choosing under a sequence number the meter will match the ack against.</summary>
    public void QueueRaw(long ackSequence, byte[] message)
    {
        lock (gate) unacked[ackSequence] = (message, DateTime.MinValue);
    }

    public void Start() => running ??= Task.Run(RunAsync);

    private async Task RunAsync()
    {
        while (!stop.IsCancellationRequested)
        {
            try
            {
                if (!client.IsConnected)
                {
                    await ConnectAsync(stop.Token);
                    // Like the real meter: after every reconnect, resend from the oldest unacknowledged reading, in order,
                    // so a restarted gateway sees a meter's readings in sequence order again.
                    lock (gate)
                    {
                        foreach (long seq in unacked.Keys.ToList()) unacked[seq] = (unacked[seq].Bytes, DateTime.MinValue);
                    }
                }
                foreach ((long seq, byte[] bytes) in Due())
                {
                    MqttApplicationMessage message = new MqttApplicationMessageBuilder()
                        .WithTopic($"cg/{TestGrid.ChainId}/meters/{meterId}/readings")
                        .WithPayload(bytes)
                        .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
                        .Build();
                    await client.PublishAsync(message, stop.Token);
                    lock (gate)
                    {
                        if (unacked.TryGetValue(seq, out var entry)) unacked[seq] = (entry.Bytes, DateTime.UtcNow);
                    }
                }
                await Task.Delay(50, stop.Token);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // The gateway or broker is down (or restarting): keep everything and try again shortly.
                try
                {
                    await Task.Delay(200, stop.Token);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    private async Task ConnectAsync(CancellationToken cancellationToken)
    {
        MqttClientOptions options = new MqttClientOptionsBuilder()
            .WithTcpServer(host, port)
            .WithProtocolVersion(MqttProtocolVersion.V500)
            .WithClientId("meter-" + meterId)
            .WithCredentials(meterId, password)
            .WithTimeout(TimeSpan.FromSeconds(3))
            .Build();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(3));
        await client.ConnectAsync(options, timeout.Token);
        await client.SubscribeAsync(new MqttClientSubscribeOptionsBuilder()
            .WithTopicFilter($"cg/{TestGrid.ChainId}/meters/{meterId}/acks", MqttQualityOfServiceLevel.AtLeastOnce).Build(), timeout.Token);
    }

    private List<(long, byte[])> Due()
    {
        DateTime resendBefore = DateTime.UtcNow - ResendAfter;
        lock (gate) return unacked.Where(e => e.Value.LastSent < resendBefore).Take(200).Select(e => (e.Key, e.Value.Bytes)).ToList();
    }

    private void TakeAck(byte[] cose)
    {
        GatewayAck ack = GatewayAckCodec.Open(cose, gateways);
        if (!ack.IsFor(TestGrid.ChainId, meterId)) throw new InvalidOperationException($"ack for another meter on {meterId}'s topic: {ack}");
        if (!Acks.TryAdd(ack.Sequence, ack))
        {
            GatewayAck first = Acks[ack.Sequence];
            bool firstRejected = first.Status == AckStatus.Rejected, nowRejected = ack.Status == AckStatus.Rejected;
            // A reading is either in the chain at one place for good, or rejected: every ack for it must say the same.
            bool consistent = firstRejected == nowRejected && (nowRejected || (first.BlockHeight, first.TxIndex) == (ack.BlockHeight, ack.TxIndex));
            if (!consistent) Conflicts.Enqueue($"seq {ack.Sequence}: first {first}, then {ack}");
        }
        lock (gate)
        {
            foreach (long seq in unacked.Keys.TakeWhile(s => s <= ack.Sequence).ToList())
            {
                unacked.Remove(seq);
                Interlocked.Increment(ref released);
            }
        }
    }

    /// <summary>Waits until every queued reading is acknowledged; false on timeout.</summary>
    public async Task<bool> WaitDrainedAsync(TimeSpan timeout)
    {
        DateTime until = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < until)
        {
            if (Unacked == 0) return true;
            await Task.Delay(50);
        }
        return Unacked == 0;
    }

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        if (running is not null) await running;
        try
        {
            if (client.IsConnected) await client.DisconnectAsync(new MqttClientDisconnectOptions());
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // Broker already gone.
        }
        client.Dispose();
        stop.Dispose();
    }
}
