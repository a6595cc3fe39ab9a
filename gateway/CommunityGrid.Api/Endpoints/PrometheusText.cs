using System.Globalization;
using System.Text;

namespace CommunityGrid.Api.Endpoints;

/// <summary>The gateway's metrics in the Prometheus text exposition format (version 0.0.4).</summary>
public static class PrometheusText
{
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    public static string Render(GatewayMetricsSnapshot m)
    {
        var text = new StringBuilder();
        Family(text, "cgrid_readings_accepted_total", "counter", "Readings committed in blocks, per meter.");
        foreach (MeterCount c in m.ReadingsAccepted) Sample(text, "cgrid_readings_accepted_total", c.Count, ("meter", c.MeterId));

        Family(text, "cgrid_readings_rejected_total", "counter", "Readings rejected, per meter and reason (docs/chain.md section 4).");
        foreach (RejectionCount c in m.ReadingsRejected) Sample(text, "cgrid_readings_rejected_total", c.Count, ("meter", c.MeterId), ("reason", c.Reason));

        Family(text, "cgrid_block_height", "gauge", "Height of the latest committed block.");
        Sample(text, "cgrid_block_height", m.Height);

        // Left without a sample until an interval has closed: any number would claim a closed interval.
        Family(text, "cgrid_last_closed_interval_start", "gauge", "Start (Unix seconds) of the latest closed settlement interval.");
        if (m.LastClosedIntervalStart is { } closed) Sample(text, "cgrid_last_closed_interval_start", closed);

        Family(text, "cgrid_interval_lag_seconds", "gauge", "Seconds the earliest open interval is overdue to close (0 = keeping up).");
        Sample(text, "cgrid_interval_lag_seconds", m.IntervalLagSeconds);

        Family(text, "cgrid_storage_full", "gauge", "1 while blocks cannot be stored because the disk is full (nothing is lost; docs/operations.md), else 0.");
        Sample(text, "cgrid_storage_full", m.StorageFull ? 1 : 0);
        return text.ToString();
    }

    private static void Family(StringBuilder text, string name, string type, string help) =>
        text.Append("# HELP ").Append(name).Append(' ').Append(help).Append('\n')
            .Append("# TYPE ").Append(name).Append(' ').Append(type).Append('\n');

    private static void Sample(StringBuilder text, string name, long value, params (string Name, string Value)[] labels)
    {
        text.Append(name);
        if (labels.Length > 0)
        {
            text.Append('{');
            for (int i = 0; i < labels.Length; i++)
            {
                if (i > 0) text.Append(',');
                text.Append(labels[i].Name).Append("=\"");
                AppendEscaped(text, labels[i].Value);
                text.Append('"');
            }
            text.Append('}');
        }
        text.Append(' ').Append(value.ToString(CultureInfo.InvariantCulture)).Append('\n');
    }

    /// <summary>Label values escape backslash, double quote and line feed; a rejected reading may carry any meter id.</summary>
    private static void AppendEscaped(StringBuilder text, string value)
    {
        foreach (char c in value)
        {
            switch (c)
            {
                case '\\': text.Append(@"\\"); break;
                case '"': text.Append("\\\""); break;
                case '\n': text.Append(@"\n"); break;
                default: text.Append(c); break;
            }
        }
    }
}
