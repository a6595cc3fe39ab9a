namespace CommunityGrid.Meter.Messaging
{
    /// <summary>
    /// COSE content types of the messages a gateway sends down to a meter. Signed in the protected header, they keep
    /// a gateway's acknowledgement from ever being accepted as display data or as a reading, and the other way round.
    /// </summary>
    public static class MessageContentTypes
    {
        public const string Ack = "application/vnd.communitygrid.ack+cbor";

        public const string Display = "application/vnd.communitygrid.display+cbor";

        public const string Move = "application/vnd.communitygrid.move+cbor";
    }
}
