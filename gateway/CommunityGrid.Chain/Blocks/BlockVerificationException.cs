using System;

namespace CommunityGrid.Chain.Blocks;

/// <summary>A block that does not follow from the state it claims to extend; the message names the height and the rule.</summary>
public sealed class BlockVerificationException(long height, string problem)
    : Exception($"block {height}: {problem}")
{
    public long Height { get; } = height;
    public string Problem { get; } = problem;
}
