namespace CommunityGrid.Meter.LightClient
{
    /// <summary>How far the meter may rely on its last verified header, judged by its own interval counter (docs/meter.md).</summary>
    public enum TrustFreshness
    {
        /// <summary>A header was verified within the display window: figures show as verified.</summary>
        Fresh,
        /// <summary>Nothing verified for longer than the display window: figures show as unverified, the set is still trusted.</summary>
        Stale,
        /// <summary>Nothing verified for longer than the trust window: the set is no longer trusted; re-commissioning needed.</summary>
        TrustExpired,
    }
}
