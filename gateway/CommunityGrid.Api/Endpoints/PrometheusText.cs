using System.Globalization;
using System.Text;

namespace CommunityGrid.Api.Endpoints;

/// <summary>The gateway's metrics in the Prometheus text exposition format (version 0.0.4).</summary>
public static class PrometheusText
{
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    public static string Render(GatewayMetricsSnapshot m, ProcessFigures? process = null)
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

        // One series per meter with a committed reading; only enrolled meters get readings committed, so the set is bounded.
        Family(text, "cgrid_meter_last_reading_timestamp_seconds", "gauge", "Time (Unix seconds) of the block that committed the meter's latest reading, per meter.");
        foreach (MeterTime t in m.LastReadings ?? []) Sample(text, "cgrid_meter_last_reading_timestamp_seconds", t.UnixSeconds, ("meter", t.MeterId));

        Family(text, "cgrid_mempool_transactions", "gauge", "Transactions waiting in the mempool for a block.");
        if (m.MempoolSize is { } waiting) Sample(text, "cgrid_mempool_transactions", waiting);

        // Without a sample under an external broker: the gateway cannot see its sessions, and 0 would claim none.
        Family(text, "cgrid_connected_meters", "gauge", "Meter sessions logged in on the embedded MQTT broker.");
        if (m.ConnectedMeters is { } connected) Sample(text, "cgrid_connected_meters", connected);

        if (m.Consensus is { } consensus) RenderConsensus(text, consensus);
        if (process is not null) RenderProcess(text, process);
        return text.ToString();
    }

    private static void RenderConsensus(StringBuilder text, ConsensusFigures c)
    {
        Family(text, "cgrid_consensus_height", "gauge", "Height being decided (0 while there is nothing to decide).");
        Sample(text, "cgrid_consensus_height", c.Height);
        Family(text, "cgrid_consensus_round", "gauge", "Round of the height being decided.");
        Sample(text, "cgrid_consensus_round", c.Round);
        Family(text, "cgrid_consensus_last_commit_timestamp_seconds", "gauge", "When this gateway last stored a committed block (Unix seconds).");
        Sample(text, "cgrid_consensus_last_commit_timestamp_seconds", c.LastCommitUnixMs / 1000);
        Family(text, "cgrid_consensus_heights_total", "counter", "Heights decided by this gateway since it started.");
        Sample(text, "cgrid_consensus_heights_total", c.HeightsDecided);
        Family(text, "cgrid_consensus_rounds_total", "counter", "Rounds those heights took; rate(rounds)/rate(heights) is rounds per height (1 = no failed round).");
        Sample(text, "cgrid_consensus_rounds_total", c.RoundsTotal);
        Family(text, "cgrid_consensus_validators", "gauge", "Validators in the set, this gateway included.");
        Sample(text, "cgrid_consensus_validators", c.Validators);
        Family(text, "cgrid_consensus_peer_up", "gauge", "1 while the connection to the peer validator is up, per peer.");
        foreach (PeerFigure p in c.Peers) Sample(text, "cgrid_consensus_peer_up", p.Connected ? 1 : 0, ("peer", p.Key[..16]), ("address", p.Address));
    }

    private static void RenderProcess(StringBuilder text, ProcessFigures p)
    {
        Family(text, "process_resident_memory_bytes", "gauge", "Resident memory size in bytes.");
        Sample(text, "process_resident_memory_bytes", p.ResidentMemoryBytes);
        Family(text, "process_virtual_memory_bytes", "gauge", "Virtual memory size in bytes.");
        Sample(text, "process_virtual_memory_bytes", p.VirtualMemoryBytes);
        Family(text, "process_cpu_seconds_total", "counter", "Total user and system CPU time spent in seconds.");
        text.Append("process_cpu_seconds_total ").Append(p.CpuSeconds.ToString("0.###", CultureInfo.InvariantCulture)).Append('\n');
        Family(text, "process_start_time_seconds", "gauge", "Start time of the process since unix epoch in seconds.");
        Sample(text, "process_start_time_seconds", p.StartTimeUnixSeconds);
        Family(text, "process_open_fds", "gauge", "Number of open file descriptors.");
        if (p.OpenFileDescriptors is { } fds) Sample(text, "process_open_fds", fds);
        Family(text, "dotnet_total_memory_bytes", "gauge", "Bytes currently thought to be allocated on the .NET garbage-collected heap.");
        Sample(text, "dotnet_total_memory_bytes", p.GcHeapBytes);
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
