using System.Runtime.CompilerServices;

namespace CommunityGrid.Chain.Blocks;

/// <summary>
/// A rule of chain.md §6 that a block must pass. The message of a broken rule is formatted only when it is broken:
/// verification checks several rules per transaction, and spelling out each one's message (ids in hex, outcomes)
/// for every transaction that passes cost more than the checks (issue 18). Same messages as before.
/// </summary>
internal static class BlockRule
{
    /// <exception cref="BlockVerificationException">not <paramref name="ok"/>.</exception>
    public static void Require(long height, bool ok, string problem)
    {
        if (!ok) throw new BlockVerificationException(height, problem);
    }

    /// <exception cref="BlockVerificationException">not <paramref name="ok"/>; the interpolated message is built only then.</exception>
    public static void Require(long height, bool ok, [InterpolatedStringHandlerArgument("ok")] ref ProblemText problem)
    {
        if (!ok) throw new BlockVerificationException(height, problem.ToStringAndClear());
    }

    /// <summary>An interpolated message whose holes are evaluated and formatted only when the rule is broken.</summary>
    [InterpolatedStringHandler]
    public ref struct ProblemText
    {
        private DefaultInterpolatedStringHandler text;

        public ProblemText(int literalLength, int formattedCount, bool ok, out bool shouldAppend)
        {
            shouldAppend = !ok;
            text = shouldAppend ? new DefaultInterpolatedStringHandler(literalLength, formattedCount) : default;
        }

        public void AppendLiteral(string value) => text.AppendLiteral(value);

        public void AppendFormatted<T>(T value) => text.AppendFormatted(value);

        public string ToStringAndClear() => text.ToStringAndClear();
    }
}
