using CommunityGrid.Protocol.Bytes;

namespace CommunityGrid.Meter.Core.Tests.Messaging;

/// <summary>The worked examples of docs/protocol.md, "MQTT topics"; the gateway key is the seed of RFC 8032 §7.1 TEST 1.</summary>
internal static class MessagingExamples
{
    public const string ChainId = "communitygrid-test";
    public const string MeterId = "meter-0001";

    public static readonly byte[] GatewaySeed = Hex.Decode("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60");
    public static readonly byte[] GatewayPublicKey = Hex.Decode("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a");

    /// <summary>{1: chain, 2: meter, 3: 42, 4: 0 committed, 5: block 7, 6: tx 3}</summary>
    public const string CommittedAckPayload =
        "a6" + "0172636f6d6d756e697479677269642d74657374" + "026a6d657465722d30303031" + "03182a" + "0400" + "0507" + "0603";

    /// <summary>{1: chain, 2: meter, 3: 43, 4: 2 rejected, 5: block 7, 6: tx 0, 7: "interval already settled"}</summary>
    public const string RejectedAckPayload =
        "a7" + "0172636f6d6d756e697479677269642d74657374" + "026a6d657465722d30303031" + "03182b" + "0402" + "0507" + "0600"
        + "0778" + "18" + "696e74657276616c20616c726561647920736574746c6564";

    /// <summary>{1: chain, 2: meter, 3: price 2150, 4: balance -1234, 5: last block 7}</summary>
    public const string DisplayPayload =
        "a5" + "0172636f6d6d756e697479677269642d74657374" + "026a6d657465722d30303031" + "03190866" + "043904d1" + "0507";
}
