using System;

namespace CommunityGrid.Clearing.Model;

/// <summary>The input breaks a documented rule; <see cref="Field"/> names the offending field.</summary>
public sealed class ClearingInputException : ArgumentException
{
    public ClearingInputException(string field, string problem)
        : base($"{field}: {problem}")
    {
        Field = field;
        Problem = problem;
    }

    public string Field { get; }

    public string Problem { get; }
}
