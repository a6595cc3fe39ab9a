using System;
using System.CommandLine;
using System.IO;
using System.Text;
using System.Text.Json;

namespace CommunityGrid.Cli.Input;

/// <summary>
/// <c>--json</c> on the admin and query commands: one JSON document on stdout, for scripts, instead of the text for
/// people. Errors stay plain text on stderr and the exit codes do not change (0 ok, 1 a check failed, 2 bad usage).
/// </summary>
public static class JsonOutput
{
    public const string Name = "--json";

    public static Option<bool> Option() => new(Name) { Description = "Print one JSON document on stdout instead of text (errors stay on stderr; same exit codes)" };

    /// <summary>Whether the command that ran has <c>--json</c> and it was given.</summary>
    public static bool Requested(ParseResult parseResult)
    {
        ArgumentNullException.ThrowIfNull(parseResult);
        foreach (Option option in parseResult.CommandResult.Command.Options)
        {
            if (option.Name == Name && option is Option<bool> json) return parseResult.GetValue(json);
        }
        return false;
    }

    /// <summary>Writes the document <paramref name="body"/> makes (indented, camelCase names by convention, one trailing newline).</summary>
    public static void Write(TextWriter output, Action<Utf8JsonWriter> body)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(body);
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            body(json);
        }
        output.WriteLine(Encoding.UTF8.GetString(buffer.ToArray()));
    }

    /// <summary>Writes a value the API's source-generated JSON context knows, as the gateway serves it.</summary>
    public static void Write<T>(TextWriter output, T value, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type)
    {
        ArgumentNullException.ThrowIfNull(output);
        output.WriteLine(JsonSerializer.Serialize(value, type));
    }
}
