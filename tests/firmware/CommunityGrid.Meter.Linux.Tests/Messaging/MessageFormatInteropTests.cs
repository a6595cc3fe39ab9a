using System;
using System.Linq;
using CommunityGrid.Formats.Signing;
using CommunityGrid.Meter.Linux.Tests.Gateway;
using CommunityGrid.Meter.Messaging;

namespace CommunityGrid.Meter.Linux.Tests.Messaging;

/// <summary>
/// The meter's portable ack/display/password code against the gateway's independent encoding (System.Formats.Cbor,
/// NSec): identical bytes both ways, and each side reads what the other wrote.
/// </summary>
public sealed class MessageFormatInteropTests
{
    private static readonly string[] Ids = { "a", "meter-0001", "communitygrid-test", "zähler-ß-東京", new string('m', 64), "街" + new string('x', 61) };
    private static readonly long[] Numbers = { 0, 1, 23, 24, 255, 256, 65535, 65536, uint.MaxValue, (long)uint.MaxValue + 1, long.MaxValue };

    [Fact]
    public void Acks_encode_to_the_same_bytes_as_the_gateway_and_decode_both_ways()
    {
        var random = new Random(3);
        for (int i = 0; i < 600; i++)
        {
            int status = i % 3;
            var expected = new GatewayMessages.Ack(Pick(random, Ids), Pick(random, Ids), Math.Max(1, Pick(random, Numbers)), status,
                Pick(random, Numbers), status == 2 ? 0 : Pick(random, Numbers), status == 2 ? Pick(random, new[] { "r", "duplicate interval", "énergie négative", new string('r', 256) }) : null);
            var ack = new GatewayAck(expected.ChainId, expected.MeterId, expected.Sequence, (AckStatus)expected.Status, expected.BlockHeight, expected.TxIndex, expected.Reason);

            byte[] portable = GatewayAckCodec.EncodePayload(ack);
            Assert.Equal(Convert.ToHexString(GatewayMessages.AckPayload(expected)), Convert.ToHexString(portable));
            Assert.Equal(expected, GatewayMessages.ReadAckPayload(portable));
            GatewayAck decoded = GatewayAckCodec.DecodePayload(GatewayMessages.AckPayload(expected));
            Assert.Equal(expected, new GatewayMessages.Ack(decoded.ChainId, decoded.MeterId, decoded.Sequence, (int)decoded.Status, decoded.BlockHeight, decoded.TxIndex, decoded.Reason));
        }
    }

    [Fact]
    public void Signed_acks_and_display_data_are_byte_identical_and_verify_on_both_sides()
    {
        var random = new Random(5);
        for (int i = 0; i < 40; i++)
        {
            byte[] seed = new byte[32];
            random.NextBytes(seed);
            using var gateway = Ed25519Signer.FromSeed(seed);
            var trusted = new TrustedSigners(new[] { gateway.PublicKey });

            var ackFields = new GatewayMessages.Ack("communitygrid-test", "meter-" + i, i + 1, i % 3, 1000 + i, i % 3 == 2 ? 0 : i, i % 3 == 2 ? "bad reading " + i : null);
            var ack = new GatewayAck(ackFields.ChainId, ackFields.MeterId, ackFields.Sequence, (AckStatus)ackFields.Status, ackFields.BlockHeight, ackFields.TxIndex, ackFields.Reason);
            byte[] fromGateway = GatewayMessages.SignAck(ackFields, gateway);
            Assert.Equal(fromGateway, GatewayAckCodec.Sign(ack, seed));
            Assert.Equal(ack.ToString(), GatewayAckCodec.Open(fromGateway, trusted).ToString());

            var displayFields = new GatewayMessages.DisplayData("communitygrid-test", "meter-" + i, random.NextInt64(-5000, 5000), random.NextInt64(long.MinValue, long.MaxValue), random.NextInt64(0, long.MaxValue));
            var display = new DisplayInfo(displayFields.ChainId, displayFields.MeterId, displayFields.Price, displayFields.Balance, displayFields.LastBlockHeight);
            byte[] displayFromGateway = GatewayMessages.SignDisplay(displayFields, gateway);
            Assert.Equal(displayFromGateway, DisplayInfoCodec.Sign(display, seed));
            Assert.Equal(display.ToString(), DisplayInfoCodec.Open(displayFromGateway, trusted).ToString());
        }
    }

    [Fact]
    public void Display_extremes_encode_like_the_gateway()
    {
        foreach (long value in new[] { long.MinValue, -65537, -65536, -257, -256, -25, -24, -1, 0, 1, 24, long.MaxValue })
        {
            var fields = new GatewayMessages.DisplayData("c", "m", value, -value == value ? 0 : -value, 0);
            var info = new DisplayInfo(fields.ChainId, fields.MeterId, fields.Price, fields.Balance, fields.LastBlockHeight);
            Assert.Equal(GatewayMessages.DisplayPayload(fields), DisplayInfoCodec.EncodePayload(info));
        }
    }

    [Fact]
    public void Mqtt_password_matches_the_gateway_computation_and_checks_against_the_enrolled_key()
    {
        var random = new Random(7);
        for (int i = 0; i < 20; i++)
        {
            byte[] seed = new byte[32];
            random.NextBytes(seed);
            using var meterKey = Ed25519Signer.FromSeed(seed);
            string meterId = Pick(random, Ids);
            string password = MqttCredentials.Password("communitygrid-test", meterId, seed);
            Assert.Equal(GatewayMessages.MqttPassword("communitygrid-test", meterId, meterKey), password);
            Assert.Equal(128, password.Length);
            Assert.True(MqttCredentials.Check("communitygrid-test", meterId, meterKey.PublicKey, password));
            Assert.False(MqttCredentials.Check("communitygrid-other", meterId, meterKey.PublicKey, password));
            Assert.False(MqttCredentials.Check("communitygrid-test", meterId + "x", meterKey.PublicKey, password));
            Assert.False(MqttCredentials.Check("communitygrid-test", meterId, meterKey.PublicKey, password.ToUpperInvariant()));
            Assert.Equal(meterId, MqttCredentials.Username(meterId));
        }
    }

    private static T Pick<T>(Random random, T[] values) => values[random.Next(values.Length)];
}
