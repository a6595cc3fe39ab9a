namespace CommunityGrid.Protocol.Cbor
{
    /// <summary>The kinds of data item this protocol's CBOR subset has (RFC 8949 §3.1, restricted).</summary>
    public enum CborItemKind
    {
        UnsignedInteger,
        NegativeInteger,
        ByteString,
        TextString,
        Array,
        Map,
        Tag,
        Boolean,
        Null,
    }
}
