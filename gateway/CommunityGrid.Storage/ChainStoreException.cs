using System;

namespace CommunityGrid.Storage;

/// <summary>The database does not hold a valid chain for this genesis; the message says where and what.</summary>
public sealed class ChainStoreException : Exception
{
    public ChainStoreException(string message) : base(message) { }

    public ChainStoreException(string message, Exception inner) : base(message, inner) { }
}

public enum VerifyMode
{
    /// <summary>Replay every block from genesis and compare the stored state with the result.</summary>
    Full,
    /// <summary>Check every header's hash, link and commit, then trust the stored state if its root matches the tip header.</summary>
    Headers,
}
