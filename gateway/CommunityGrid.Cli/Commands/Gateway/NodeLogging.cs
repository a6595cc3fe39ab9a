using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;

namespace CommunityGrid.Cli.Commands.Gateway;

/// <summary>Console logs, one line per event: plain text with structured key=value fields, or JSON for log collectors.</summary>
internal static class NodeLogging
{
    public static ILoggerFactory Create(string format, bool verbose) => LoggerFactory.Create(builder =>
    {
        builder.SetMinimumLevel(verbose ? LogLevel.Debug : LogLevel.Information);
        // Kestrel and MQTTnet chatter stays at warnings unless asked for.
        builder.AddFilter("Microsoft", LogLevel.Warning);
        if (format == "json")
        {
            builder.AddJsonConsole(o =>
            {
                o.UseUtcTimestamp = true;
                o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ";
            });
        }
        else
        {
            builder.AddSimpleConsole(o =>
            {
                o.SingleLine = true;
                o.UseUtcTimestamp = true;
                o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ ";
                o.ColorBehavior = LoggerColorBehavior.Disabled;
            });
        }
    });
}
