using System;
using CommunityGrid.Meter.Messaging;
using CommunityGrid.Protocol.Bytes;
using CommunityGrid.Protocol.Cbor;

namespace CommunityGrid.Meter.Core.Tests.Messaging;

public sealed class DisplayAndTopicTests
{
    [Fact]
    public void Display_worked_example_encodes_and_decodes_exactly()
    {
        var info = new DisplayInfo(MessagingExamples.ChainId, MessagingExamples.MeterId, 2150, -1234, 7);
        Assert.Equal(MessagingExamples.DisplayPayload, Hex.Encode(DisplayInfoCodec.EncodePayload(info)));
        DisplayInfo decoded = DisplayInfoCodec.DecodePayload(Hex.Decode(MessagingExamples.DisplayPayload));
        Assert.Equal((2150L, -1234L, 7L), (decoded.PriceMinorPerKwh, decoded.BalanceMinor, decoded.LastBlockHeight));
        var trusted = new TrustedSigners(new[] { MessagingExamples.GatewayPublicKey });
        Assert.Equal(info.ToString(), DisplayInfoCodec.Open(DisplayInfoCodec.Sign(info, MessagingExamples.GatewaySeed), trusted).ToString());
    }

    [Fact]
    public void Display_rules_are_enforced()
    {
        string withoutHeight = "a4" + "0172636f6d6d756e697479677269642d74657374" + "026a6d657465722d30303031" + "03190866" + "043904d1";
        Assert.Contains("required key 5", Assert.Throws<MessageFormatException>(() => DisplayInfoCodec.DecodePayload(Hex.Decode(withoutHeight))).Message);
        string negativeHeight = "a5" + "0172636f6d6d756e697479677269642d74657374" + "026a6d657465722d30303031" + "03190866" + "043904d1" + "0520";
        Assert.Throws<CborFormatException>(() => DisplayInfoCodec.DecodePayload(Hex.Decode(negativeHeight)));
        Assert.Throws<MessageFormatException>(() => new DisplayInfo("c", "m", 0, 0, -1));
    }

    [Fact]
    public void Topics_follow_the_scheme_and_refuse_ids_that_would_break_it()
    {
        Assert.Equal("cg/communitygrid-test/meters/meter-0001/readings", MqttTopics.Readings("communitygrid-test", "meter-0001"));
        Assert.Equal("cg/communitygrid-test/meters/meter-0001/acks", MqttTopics.Acks("communitygrid-test", "meter-0001"));
        Assert.Equal("cg/communitygrid-test/meters/meter-0001/display", MqttTopics.Display("communitygrid-test", "meter-0001"));
        foreach (string bad in new[] { "a/b", "a+", "#", "", "a\0b" })
        {
            Assert.Throws<ArgumentException>(() => MqttTopics.Readings("chain", bad));
            Assert.NotNull(MqttTopics.FindTopicProblem(bad));
        }
        Assert.Null(MqttTopics.FindTopicProblem("zähler-01"));
    }

    [Fact]
    public void Mqtt_password_is_a_deterministic_signature_that_only_the_right_key_and_ids_check()
    {
        string password = MqttCredentials.Password(MessagingExamples.ChainId, MessagingExamples.MeterId, MessagingExamples.GatewaySeed);
        Assert.Equal(password, MqttCredentials.Password(MessagingExamples.ChainId, MessagingExamples.MeterId, MessagingExamples.GatewaySeed));
        Assert.Matches("^[0-9a-f]{128}$", password);
        Assert.Equal("communitygrid-mqtt-v1|communitygrid-test|meter-0001", MqttCredentials.Context(MessagingExamples.ChainId, MessagingExamples.MeterId));
        Assert.True(MqttCredentials.Check(MessagingExamples.ChainId, MessagingExamples.MeterId, MessagingExamples.GatewayPublicKey, password));
        Assert.False(MqttCredentials.Check(MessagingExamples.ChainId, "meter-0002", MessagingExamples.GatewayPublicKey, password));
        Assert.False(MqttCredentials.Check(MessagingExamples.ChainId, MessagingExamples.MeterId, new byte[32], password));
        Assert.False(MqttCredentials.Check(MessagingExamples.ChainId, MessagingExamples.MeterId, MessagingExamples.GatewayPublicKey, password[..126]));
        Assert.False(MqttCredentials.Check(MessagingExamples.ChainId, MessagingExamples.MeterId, MessagingExamples.GatewayPublicKey, "zz" + password[2..]));
    }
}
