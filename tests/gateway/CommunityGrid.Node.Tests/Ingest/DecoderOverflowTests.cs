using CommunityGrid.Peering.Transport;
using System;
using System.Formats.Cbor;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Threading.Tasks;
using CommunityGrid.Formats.Cose;
using CommunityGrid.Formats.Readings;
using CommunityGrid.Meter.Messaging;
using CommunityGrid.Node.Hosting;
using CommunityGrid.Node.Tests.Support;
using MQTTnet;

namespace CommunityGrid.Node.Tests.Ingest;

/// <summary>
/// Issue 11, case 4: a COSE_Sign1 whose protected alg is 2^64-1 or -2^64 made the decoder throw OverflowException,
/// an HTTP 500 with an empty body and an MQTT connection dropped without PUBACK. It is malformed input like any other.
/// </summary>
public sealed class DecoderOverflowTests
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_reading_with_an_out_of_range_alg_is_refused_as_malformed_over_http_and_over_mqtt(bool positive)
    {
        using var grid = new TestGrid(1);
        int port = LoopbackPorts.Reserve();
        await using GatewayNode node = await GatewayNode.StartAsync(grid.NodeOptions(port) with { HttpEndpoint = new IPEndPoint(IPAddress.Loopback, 0) });
        byte[] message = WithAlg(grid, positive);

        using var http = new HttpClient { BaseAddress = new Uri($"http://{node.HttpEndpoint}"), Timeout = TimeSpan.FromSeconds(5) };
        using var body = new ByteArrayContent(message);
        body.Headers.ContentType = new MediaTypeHeaderValue("application/cbor");
        using HttpResponseMessage response = await http.PostAsync("/transactions", body);
        string text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{(int)response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("MalformedCbor", text, StringComparison.Ordinal);

        await using var meter = new RawMeterClient("m01", grid.Gateway.PublicKey);
        Assert.Equal(MqttClientConnectResultCode.Success, await meter.ConnectAsync(port, MqttCredentials.Password(TestGrid.ChainId, "m01", grid.MeterSeeds["m01"])));
        await meter.SubscribeAsync(RawMeterClient.AcksTopic("m01"));
        Assert.Equal(MqttClientPublishReasonCode.Success, await meter.PublishAsync(message));
        GatewayAck ack = await meter.WaitAckAsync(a => a.Sequence == 1, "the rejection ack of the malformed reading");
        Assert.Equal(AckStatus.Rejected, ack.Status);
        Assert.StartsWith("MalformedCbor:", ack.Reason, StringComparison.Ordinal);
        // The connection survived: the meter's next, good reading goes through on it.
        Assert.Equal(MqttClientPublishReasonCode.Success, await meter.PublishAsync(grid.Reading("m01", 1, 10)));
        Assert.Equal(AckStatus.Committed, (await meter.WaitAckAsync(a => a.Status == AckStatus.Committed, "the good reading's ack")).Status);
    }

    /// <summary>m01's genuine reading (sequence 1), re-signed under a protected header whose alg is 2^64-1 or -2^64.</summary>
    private static byte[] WithAlg(TestGrid grid, bool positive)
    {
        byte[] payload = ReadingCbor.Encode(new MeterReading(TestGrid.ChainId, "m01", 1, TestGrid.LastCompleteInterval(), TestGrid.IntervalSeconds, 10, 0, 0, "test-1"));
        var header = new CborWriter(CborConformanceMode.Lax);
        header.WriteStartMap(2);
        header.WriteInt32(CoseSign1Codec.HeaderAlgorithm);
        if (positive) header.WriteUInt64(ulong.MaxValue); else header.WriteCborNegativeIntegerRepresentation(ulong.MaxValue);
        header.WriteInt32(CoseSign1Codec.HeaderContentType);
        header.WriteTextString(ContentTypes.Reading);
        header.WriteEndMap();
        byte[] protectedHeader = header.Encode();
        var writer = new CborWriter(CborConformanceMode.Lax);
        writer.WriteTag((CborTag)CoseSign1Codec.CoseSign1Tag);
        writer.WriteStartArray(4);
        writer.WriteByteString(protectedHeader);
        writer.WriteStartMap(1);
        writer.WriteInt32(CoseSign1Codec.HeaderKeyId);
        writer.WriteByteString(grid.Meters["m01"].PublicKey);
        writer.WriteEndMap();
        writer.WriteByteString(payload);
        writer.WriteByteString(grid.Meters["m01"].Sign(CoseSign1Codec.SigStructure(protectedHeader, payload)));
        writer.WriteEndArray();
        return writer.Encode();
    }
}
