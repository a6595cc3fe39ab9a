namespace CommunityGrid.Consensus.Signing;

/// <summary>
/// Durable storage of the signer's one record. The narrow contract the never-sign-twice guarantee
/// rests on: when <see cref="Save"/> returns, the state survives a crash or power loss; if it throws
/// or the process dies inside it, <see cref="Load"/> afterwards returns either the previous state or
/// the new one, never anything else.
/// </summary>
public interface ISignStateStore
{
    /// <summary>The last saved state, or null before anything was ever signed.</summary>
    SignState? Load();

    void Save(SignState state);
}
