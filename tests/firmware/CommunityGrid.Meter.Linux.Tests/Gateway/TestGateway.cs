using System;
using System.Buffers;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Channels;
using System.Threading.Tasks;
using CommunityGrid.Formats;
using CommunityGrid.Formats.Readings;
using CommunityGrid.Formats.Signing;
using MQTTnet;
using MQTTnet.Protocol;

namespace CommunityGrid.Meter.Linux.Tests.Gateway;

/// <summary>
/// A stand-in gateway on the broker: subscribes to one meter's readings, checks every message with the gateway's
/// own codec (SignedReadingCodec.Open: System.Formats.Cbor + NSec) and the enrolled key, and — when acking — commits
/// readings strictly in sequence order like the chain does, answering each with a signed ack: committed for the next
/// sequence, already committed for an old one, nothing for one beyond a gap (the meter resends). Reconnects on its own
/// after a broker outage.
/// </summary>
public sealed class TestGateway : IAsyncDisposable
{
    private readonly IMqttClient _client = new MqttClientFactory().CreateMqttClient();
    private readonly MqttClientOptions _options;
    private readonly string _readingsTopic;
    private readonly string _acksTopic;
    private readonly string _chainId;
    private readonly string _meterId;
    private readonly byte[] _meterPublicKey;
    private readonly Ed25519Signer _key;
    private readonly Channel<byte[]> _outgoing = Channel.CreateUnbounded<byte[]>();
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Arrival> _arrivals = new();
    private readonly List<string> _problems = new();
    private readonly Dictionary<long, DateTime> _firstAckAt = new();
    private readonly HashSet<long> _reject = new();
    private readonly object _gate = new();
    private readonly Task _connection;
    private readonly Task _publisher;
    private long _committedThrough;

    public TestGateway(int brokerPort, string chainId, string meterId, byte[] meterPublicKey, Ed25519Signer gatewayKey, bool acking)
    {
        _chainId = chainId;
        _meterId = meterId;
        _meterPublicKey = meterPublicKey;
        _key = gatewayKey;
        Acking = acking;
        _readingsTopic = $"cg/{chainId}/meters/{meterId}/readings";
        _acksTopic = $"cg/{chainId}/meters/{meterId}/acks";
        _options = new MqttClientOptionsBuilder().WithTcpServer("127.0.0.1", brokerPort).WithClientId("test-gateway-" + Guid.NewGuid().ToString("N"))
            .WithCleanSession(true).WithTimeout(TimeSpan.FromSeconds(5)).Build();
        _client.ApplicationMessageReceivedAsync += e =>
        {
            if (e.ApplicationMessage.Topic == _readingsTopic) OnReading(e.ApplicationMessage.Payload.ToArray());
            return Task.CompletedTask;
        };
        _connection = Task.Run(KeepConnected);
        _publisher = Task.Run(PublishOutgoing);
    }

    /// <summary>
    /// A chain the meter moved to (docs/breakaway.md): it knows the meter's sequence from the old chain, so the first
    /// reading that arrives is the next one to commit, whatever its sequence.
    /// </summary>
    public bool ContinuesFromFirstArrival { get; init; }

    /// <summary>Whether readings are committed and acknowledged; off = an independent subscriber only.</summary>
    public bool Acking { get; set; }

    public bool IsConnected => _client.IsConnected;

    public long CommittedThrough => Interlocked.Read(ref _committedThrough);

    /// <summary>Arrivals that skipped ahead of the next sequence to commit (possible right after a broker restart).</summary>
    public int GapArrivals { get; private set; }

    public IReadOnlyList<Arrival> Arrivals()
    {
        lock (_gate) return _arrivals.ToList();
    }

    /// <summary>Anything a correct meter never sends: bad signatures, foreign keys, malformed messages, another meter's readings.</summary>
    public IReadOnlyList<string> Problems()
    {
        lock (_gate) return _problems.ToList();
    }

    /// <summary>When the first ack for each sequence was published.</summary>
    public IReadOnlyDictionary<long, DateTime> FirstAckTimes()
    {
        lock (_gate) return new Dictionary<long, DateTime>(_firstAckAt);
    }

    /// <summary>Makes the chain reject this sequence (status 2) instead of committing it.</summary>
    public void RejectSequence(long sequence)
    {
        lock (_gate) _reject.Add(sequence);
    }

    /// <summary>Publishes any bytes on the meter's ack topic (forged or malformed acks for negative tests).</summary>
    public void PublishRawAck(byte[] cose) => _outgoing.Writer.TryWrite(cose);

    /// <summary>Publishes retained display data for the meter.</summary>
    public Task PublishDisplayAsync(byte[] cose) => _client.PublishAsync(new MqttApplicationMessageBuilder()
        .WithTopic($"cg/{_chainId}/meters/{_meterId}/display").WithPayload(cose)
        .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).WithRetainFlag(true).Build());

    /// <summary>Waits (bounded) until the gateway is subscribed.</summary>
    public async Task WaitConnectedAsync(TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!Subscribed)
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException("the test gateway did not connect to the broker");
            await Task.Delay(20);
        }
    }

    /// <summary>Waits (bounded) until everything through <paramref name="sequence"/> is committed.</summary>
    public async Task WaitCommittedAsync(long sequence, TimeSpan timeout, Func<string> context)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (CommittedThrough < sequence)
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"gateway committed through {CommittedThrough}, expected {sequence} within {timeout.TotalSeconds} s; " +
                    $"arrivals: {string.Join(",", Arrivals().Select(a => a.Sequence))}\n{context()}");
            }
            await Task.Delay(20);
        }
    }

    private volatile bool _subscribed;

    private bool Subscribed => _subscribed && _client.IsConnected;

    private void OnReading(byte[] bytes)
    {
        OpenedReading opened;
        try
        {
            opened = SignedReadingCodec.Open(bytes);
        }
        catch (ProtocolFormatException e)
        {
            lock (_gate) _problems.Add("malformed reading: " + e.Message);
            return;
        }
        var reading = opened.Reading;
        lock (_gate)
        {
            if (!opened.SignatureValid) _problems.Add($"seq {reading.Sequence}: signature does not verify");
            if (!opened.KeyId.AsSpan().SequenceEqual(_meterPublicKey)) _problems.Add($"seq {reading.Sequence}: signed by a key not enrolled for the meter");
            if (reading.MeterId != _meterId || reading.ChainId != _chainId) _problems.Add($"seq {reading.Sequence}: names {reading.ChainId}/{reading.MeterId}");
            _arrivals.Add(new Arrival(reading.Sequence, reading.IntervalStart, reading.ImportWh, reading.ExportWh, reading.PvWh, DateTime.UtcNow, bytes));
            if (!Acking || !opened.SignatureValid) return;
            long committed = _committedThrough;
            if (committed == 0 && ContinuesFromFirstArrival) committed = reading.Sequence - 1;
            GatewayMessages.Ack ack;
            if (reading.Sequence == committed + 1)
            {
                bool reject = _reject.Contains(reading.Sequence);
                ack = new GatewayMessages.Ack(_chainId, _meterId, reading.Sequence, reject ? 2 : 0, reading.Sequence, reject ? 0 : 1,
                    reject ? "test: reading rejected on purpose" : null);
                Interlocked.Exchange(ref _committedThrough, reading.Sequence);
            }
            else if (reading.Sequence <= committed)
            {
                ack = new GatewayMessages.Ack(_chainId, _meterId, reading.Sequence, 1, reading.Sequence, 1, null);
            }
            else
            {
                GapArrivals++;
                return;
            }
            _firstAckAt.TryAdd(reading.Sequence, DateTime.UtcNow);
            _outgoing.Writer.TryWrite(GatewayMessages.SignAck(ack, _key));
        }
    }

    private async Task KeepConnected()
    {
        while (!_stop.IsCancellationRequested)
        {
            if (!_client.IsConnected)
            {
                _subscribed = false;
                try
                {
                    await _client.ConnectAsync(_options, _stop.Token);
                    await _client.SubscribeAsync(new MqttClientSubscribeOptionsBuilder().WithTopicFilter(_readingsTopic, MqttQualityOfServiceLevel.AtLeastOnce).Build(), _stop.Token);
                    _subscribed = true;
                }
                catch (Exception) when (!_stop.IsCancellationRequested)
                {
                    // Broker down (an outage under test): try again shortly.
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
            try
            {
                await Task.Delay(25, _stop.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    // Publishing from the receive handler would wait for a PUBACK that the blocked handler cannot read, so acks go
    // through a channel to this loop. An ack lost to an outage is not retried: the meter resends, and the resend is acked.
    private async Task PublishOutgoing()
    {
        try
        {
            await foreach (byte[] cose in _outgoing.Reader.ReadAllAsync(_stop.Token))
            {
                try
                {
                    await _client.PublishAsync(new MqttApplicationMessageBuilder().WithTopic(_acksTopic).WithPayload(cose)
                        .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build(), _stop.Token);
                }
                catch (Exception) when (!_stop.IsCancellationRequested)
                {
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        _outgoing.Writer.TryComplete();
        try
        {
            await Task.WhenAll(_connection, _publisher).WaitAsync(TimeSpan.FromSeconds(5));
        }
        catch (Exception) when (_stop.IsCancellationRequested)
        {
        }
        _client.Dispose();
        _stop.Dispose();
    }
}
