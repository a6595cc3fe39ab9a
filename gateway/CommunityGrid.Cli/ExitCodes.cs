namespace CommunityGrid.Cli;

/// <summary>What a cgrid exit code means, the same for every command, so scripts can rely on it.</summary>
public static class ExitCodes
{
    public const int Success = 0;

    /// <summary>The input was well-formed but did not check out: a signature that does not verify, a chain that does not replay.</summary>
    public const int CheckFailed = 1;

    /// <summary>Bad usage or malformed input: unknown option, unreadable file, bytes that are not the expected format.</summary>
    public const int BadInput = 2;
}
