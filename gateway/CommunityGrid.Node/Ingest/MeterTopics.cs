using System;

namespace CommunityGrid.Node.Ingest;

/// <summary>
/// The MQTT topics of one chain (docs/protocol.md, "MQTT topics"): cg/{chainId}/meters/{meterId}/readings (up),
/// .../acks, .../display and .../move (down). The meter's portable code builds the same strings.
/// </summary>
public sealed class MeterTopics(string chainId)
{
    public const string ReadingsLevel = "readings";
    public const string AcksLevel = "acks";
    public const string DisplayLevel = "display";
    public const string ProofsLevel = "proofs";
    public const string MoveLevel = "move";

    public string ChainId { get; } = chainId;

    public string Readings(string meterId) => Topic(meterId, ReadingsLevel);

    public string Acks(string meterId) => Topic(meterId, AcksLevel);

    public string Display(string meterId) => Topic(meterId, DisplayLevel);

    /// <summary>The meter's light-client proofs (docs/protocol.md §7.6), retained.</summary>
    public string Proofs(string meterId) => Topic(meterId, ProofsLevel);

    /// <summary>Where a retained move instruction waits for the meter (docs/protocol.md §7.5).</summary>
    public string Move(string meterId) => Topic(meterId, MoveLevel);

    /// <summary>What the gateway subscribes to on an external broker: every meter's readings.</summary>
    public string AllReadings => Topic("+", ReadingsLevel);

    /// <summary>The meter id of a topic of this chain ending in <paramref name="level"/>, or null for any other topic.</summary>
    public string? MeterOf(string topic, string level)
    {
        // Every publish comes through here: the levels are compared in place, only the meter id becomes a string.
        ReadOnlySpan<char> text = topic;
        Span<Range> parts = stackalloc Range[6];
        if (text.Split(parts, '/') != 5) return null;
        if (!text[parts[0]].SequenceEqual("cg") || !text[parts[1]].SequenceEqual(ChainId) || !text[parts[2]].SequenceEqual("meters")
            || !text[parts[4]].SequenceEqual(level))
        {
            return null;
        }
        ReadOnlySpan<char> meterId = text[parts[3]];
        return meterId.Length == 0 || meterId.Contains('+') || meterId.Contains('#') ? null : meterId.ToString();
    }

    private string Topic(string meterId, string level) => $"cg/{ChainId}/meters/{meterId}/{level}";
}
