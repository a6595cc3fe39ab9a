namespace CommunityGrid.Protocol.Cbor
{
    /// <summary>The only tag the subset allows: every other tag is rejected by the decoder and the encoder.</summary>
    public static class CborTags
    {
        /// <summary>COSE_Sign1 (RFC 9052 §4.2).</summary>
        public const long CoseSign1 = 18;
    }
}
