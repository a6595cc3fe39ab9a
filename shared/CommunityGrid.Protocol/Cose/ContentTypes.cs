namespace CommunityGrid.Protocol.Cose
{
    /// <summary>COSE content types (header label 3). With the chain id inside each payload they separate signing domains.</summary>
    public static class ContentTypes
    {
        public const string Reading = "application/vnd.communitygrid.reading+cbor";
    }
}
