namespace CommunityGrid.Protocol.Cbor
{
    /// <summary>Human wording for <see cref="CborItemKind"/> in error messages (enum ToString is not reliable on the device).</summary>
    public static class CborItemKinds
    {
        public static string Describe(CborItemKind kind)
        {
            switch (kind)
            {
                case CborItemKind.UnsignedInteger: return "an unsigned integer";
                case CborItemKind.NegativeInteger: return "a negative integer";
                case CborItemKind.ByteString: return "a byte string";
                case CborItemKind.TextString: return "a text string";
                case CborItemKind.Array: return "an array";
                case CborItemKind.Map: return "a map";
                case CborItemKind.Tag: return "a tag";
                case CborItemKind.Boolean: return "a boolean";
                default: return "null";
            }
        }
    }
}
