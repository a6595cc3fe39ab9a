using System;
using System.IO;
using System.Linq;
using System.Text;

namespace CommunityGrid.Cli.Input;

/// <summary>
/// Reads bytes a person hands the CLI: a hex string on the command line, a file holding hex text
/// (what an MQTT client or a log shows) or raw bytes (what the meter sends), or "-" for stdin.
/// </summary>
public static class BinaryInput
{
    public static byte[] Read(string argument, TextReader stdin)
    {
        if (argument == "-")
        {
            return FromHexOrRaw(Encoding.UTF8.GetBytes(stdin.ReadToEnd()), "standard input");
        }
        if (File.Exists(argument))
        {
            return FromHexOrRaw(File.ReadAllBytes(argument), argument);
        }
        if (LooksLikeHex(argument))
        {
            return DecodeHex(argument, "the argument");
        }
        throw new InputException($"'{Shorten(argument)}' is neither an existing file nor hex text; pass the COSE_Sign1 bytes as hex, a file, or - for stdin");
    }

    private static byte[] FromHexOrRaw(byte[] content, string source)
    {
        string asText = Encoding.ASCII.GetString(content);
        return content.Length > 0 && LooksLikeHex(asText) ? DecodeHex(asText, source) : content;
    }

    private static bool LooksLikeHex(string text) =>
        text.Trim().Length > 0 && text.All(c => Uri.IsHexDigit(c) || char.IsWhiteSpace(c));

    private static byte[] DecodeHex(string text, string source)
    {
        string digits = new(text.Where(c => !char.IsWhiteSpace(c)).ToArray());
        if (digits.Length % 2 != 0)
        {
            throw new InputException($"{source}: hex text has an odd number of digits ({digits.Length}); a byte is two digits — was the text cut short?");
        }
        return Convert.FromHexString(digits);
    }

    private static string Shorten(string text) => text.Length <= 40 ? text : text[..40] + "…";
}

public sealed class InputException(string message) : Exception(message);
