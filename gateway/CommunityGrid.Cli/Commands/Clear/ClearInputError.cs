using System;

namespace CommunityGrid.Cli.Commands.Clear;

/// <summary>The request JSON is malformed; the message names the field and says what to do.</summary>
public sealed class ClearInputError : Exception
{
    public ClearInputError(string field, string problem)
        : base($"{field}: {problem}")
    {
        Field = field;
    }

    public string Field { get; }
}
