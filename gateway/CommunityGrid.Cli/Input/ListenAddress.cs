using System;
using System.Net;

namespace CommunityGrid.Cli.Input;

/// <summary>Where a server listens, as an operator writes it: IP:PORT, <c>localhost:PORT</c> (loopback) or <c>:PORT</c> (every IPv4 interface).</summary>
public static class ListenAddress
{
    /// <exception cref="FormatException">not one of those forms; the message names <paramref name="option"/> and the forms.</exception>
    public static IPEndPoint? Parse(string? text, string option)
    {
        if (text is null) return null;
        string address = text;
        if (text.StartsWith(':')) address = IPAddress.Any + text;
        else if (text.StartsWith("localhost:", StringComparison.OrdinalIgnoreCase)) address = IPAddress.Loopback + text["localhost".Length..];
        if (!IPEndPoint.TryParse(address, out IPEndPoint? endpoint) || endpoint.Port == 0 && !address.EndsWith(":0", StringComparison.Ordinal) || !address.Contains(':'))
        {
            throw new FormatException($"{option} '{text}' is not an address: give IP:PORT (127.0.0.1:8080), localhost:PORT, or :PORT for every interface");
        }
        return endpoint;
    }
}
