namespace CommunityGrid.Protocol.Cbor
{
    /// <summary>RFC 8949 §3.1 major types (the high 3 bits of an item's initial byte).</summary>
    internal static class CborMajorType
    {
        public const int UnsignedInteger = 0;
        public const int NegativeInteger = 1;
        public const int ByteString = 2;
        public const int TextString = 3;
        public const int Array = 4;
        public const int Map = 5;
        public const int Tag = 6;
        public const int SimpleOrFloat = 7;
    }

    /// <summary>The three simple values in the subset, as complete initial bytes (RFC 8949 §3.3).</summary>
    internal static class CborSimple
    {
        public const byte False = 0xF4;
        public const byte True = 0xF5;
        public const byte Null = 0xF6;
    }
}
