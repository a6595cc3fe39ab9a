using System.Collections.Generic;
using System.Globalization;
using System.Net.Http;
using System.Text;
using System.Text.RegularExpressions;
using CommunityGrid.Api.Endpoints;
using CommunityGrid.Api.Tests.Support;
using CommunityGrid.Chain.Transactions;

namespace CommunityGrid.Api.Tests;

public sealed partial class MetricsTests
{
    /// <summary>One sample line of the text format: name, optional {labels}, plain decimal value (integer or with a fraction).</summary>
    [GeneratedRegex("""^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (-?[0-9]+(?:\.[0-9]+)?)$""")]
    private static partial Regex SampleLine();

    [GeneratedRegex("""([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)",?""")]
    private static partial Regex LabelPair();

    public sealed record Sample(string Name, Dictionary<string, string> Labels, double Value);

    /// <summary>Parses the exposition text strictly: every line is a HELP, a TYPE or a sample, and every sample's family was typed before it.</summary>
    public static List<Sample> Parse(string text)
    {
        var samples = new List<Sample>();
        var typed = new HashSet<string>();
        Assert.EndsWith("\n", text);
        foreach (string line in text.TrimEnd('\n').Split('\n'))
        {
            if (line.StartsWith("# HELP ", System.StringComparison.Ordinal)) continue;
            if (line.StartsWith("# TYPE ", System.StringComparison.Ordinal))
            {
                string[] parts = line.Split(' ');
                Assert.Equal(4, parts.Length);
                Assert.Contains(parts[3], new[] { "counter", "gauge" });
                typed.Add(parts[2]);
                continue;
            }
            Match m = SampleLine().Match(line);
            Assert.True(m.Success, $"not a sample line: {line}");
            Assert.Contains(m.Groups[1].Value, typed);
            var labels = new Dictionary<string, string>();
            string labelText = m.Groups[2].Value;
            int consumed = 0;
            foreach (Match pair in LabelPair().Matches(labelText))
            {
                labels[pair.Groups[1].Value] = Regex.Unescape(pair.Groups[2].Value);
                consumed += pair.Length;
            }
            Assert.Equal(labelText.Length, consumed);
            samples.Add(new Sample(m.Groups[1].Value, labels, double.Parse(m.Groups[3].Value, CultureInfo.InvariantCulture)));
        }
        return samples;
    }

    [Fact]
    public void Rendered_text_parses_and_holds_every_family()
    {
        var metrics = new GatewayMetrics();
        metrics.RecordReadingAccepted("m1");
        metrics.RecordReadingAccepted("m1");
        metrics.RecordReadingAccepted("m2");
        metrics.RecordReadingRejected("m1", "ReplayedSequence");
        metrics.RecordReadingRejected("evil\"meter\\\n", "UnknownMeter");
        metrics.SetHeight(42);
        metrics.SetLastClosedInterval(1_800_000_900);
        metrics.SetIntervalLagSeconds(7);
        Assert.Contains(Parse(PrometheusText.Render(metrics.Snapshot())), s => s is { Name: "cgrid_storage_full", Value: 0 });
        metrics.SetStorageFull(true);

        List<Sample> samples = Parse(PrometheusText.Render(metrics.Snapshot()));

        Assert.Contains(samples, s => s is { Name: "cgrid_readings_accepted_total", Value: 2 } && s.Labels["meter"] == "m1");
        Assert.Contains(samples, s => s is { Name: "cgrid_readings_accepted_total", Value: 1 } && s.Labels["meter"] == "m2");
        Assert.Contains(samples, s => s.Name == "cgrid_readings_rejected_total" && s.Labels["meter"] == "m1" && s.Labels["reason"] == "ReplayedSequence");
        Assert.Contains(samples, s => s.Name == "cgrid_readings_rejected_total" && s.Labels["meter"] == "evil\"meter\\\n");
        Assert.Contains(samples, s => s is { Name: "cgrid_block_height", Value: 42 });
        Assert.Contains(samples, s => s is { Name: "cgrid_last_closed_interval_start", Value: 1_800_000_900 });
        Assert.Contains(samples, s => s is { Name: "cgrid_interval_lag_seconds", Value: 7 });
        Assert.Contains(samples, s => s is { Name: "cgrid_storage_full", Value: 1 });
    }

    [Fact]
    public void Before_any_interval_closed_the_gauge_has_no_sample()
    {
        List<Sample> samples = Parse(PrometheusText.Render(new GatewayMetrics().Snapshot()));
        Assert.DoesNotContain(samples, s => s.Name == "cgrid_last_closed_interval_start");
        Assert.Contains(samples, s => s is { Name: "cgrid_block_height", Value: 0 });
    }

    [Fact]
    public void Made_up_meter_ids_cannot_grow_the_series_without_bound()
    {
        var metrics = new GatewayMetrics();
        for (int i = 0; i < GatewayMetrics.MaxSeries + 50; i++) metrics.RecordReadingRejected("fake-" + i, "UnknownMeter");

        GatewayMetricsSnapshot snapshot = metrics.Snapshot();
        Assert.True(snapshot.ReadingsRejected.Count <= GatewayMetrics.MaxSeries + 1);
        long total = 0;
        foreach (RejectionCount c in snapshot.ReadingsRejected) total += c.Count;
        Assert.Equal(GatewayMetrics.MaxSeries + 50, total);
        Assert.Contains(snapshot.ReadingsRejected, c => c.MeterId == GatewayMetrics.OverflowMeter && c.Count == 50);
    }

    [Fact]
    public void Lag_is_how_long_the_earliest_open_interval_is_overdue()
    {
        Assert.Equal(0, GatewayMetrics.LagSeconds(900, 900, 60, 1800));
        Assert.Equal(0, GatewayMetrics.LagSeconds(900, 900, 60, 1860));
        Assert.Equal(40, GatewayMetrics.LagSeconds(900, 900, 60, 1900));
    }

    [Fact]
    public async System.Threading.Tasks.Task The_endpoint_serves_what_the_node_records()
    {
        using var gateway = new BusyGateway();
        gateway.Backend.Submit(gateway.Community.ReadingTx("m1", 1, 0, 1, 1)); // sequence 1 is long taken: rejected
        gateway.Backend.Submit(gateway.Community.PaymentTx("h1", PaymentKind.Deposit, 1));

        using HttpResponseMessage response = await gateway.Server.Client.GetAsync("/metrics");

        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("0.0.4", GetParameter(response, "version"));
        List<Sample> samples = Parse(await response.Content.ReadAsStringAsync());
        Assert.Contains(samples, s => s.Name == "cgrid_readings_rejected_total" && s.Labels["meter"] == "m1" && s.Value == 1);
        Assert.Contains(samples, s => s is { Name: "cgrid_block_height" } && s.Value == gateway.Store.Height);
        Assert.Contains(samples, s => s.Name == "process_resident_memory_bytes" && s.Value > 0);
        Assert.Contains(samples, s => s.Name == "process_start_time_seconds" && s.Value > 0);
    }

    [Fact]
    public void Last_reading_times_are_per_meter_and_never_go_back()
    {
        var metrics = new GatewayMetrics();
        metrics.SetLastReading("m2", 1_800_000_100);
        metrics.SetLastReading("m1", 1_800_000_200);
        metrics.SetLastReading("m1", 1_800_000_050); // an older block's time cannot move the gauge back

        List<Sample> samples = Parse(PrometheusText.Render(metrics.Snapshot()));

        List<Sample> last = samples.FindAll(s => s.Name == "cgrid_meter_last_reading_timestamp_seconds");
        Assert.Equal(["m1", "m2"], last.ConvertAll(s => s.Labels["meter"]));
        Assert.Equal([1_800_000_200d, 1_800_000_100d], last.ConvertAll(s => s.Value));
    }

    [Fact]
    public void Mempool_and_connected_meters_are_read_at_render_and_absent_until_observed()
    {
        var metrics = new GatewayMetrics();
        List<Sample> unobserved = Parse(PrometheusText.Render(metrics.Snapshot()));
        Assert.DoesNotContain(unobserved, s => s.Name is "cgrid_mempool_transactions" or "cgrid_connected_meters");

        int waiting = 4;
        metrics.Observe(() => waiting, () => 17);
        Assert.Contains(Parse(PrometheusText.Render(metrics.Snapshot())), s => s is { Name: "cgrid_mempool_transactions", Value: 4 });
        waiting = 0;
        List<Sample> samples = Parse(PrometheusText.Render(metrics.Snapshot()));
        Assert.Contains(samples, s => s is { Name: "cgrid_mempool_transactions", Value: 0 });
        Assert.Contains(samples, s => s is { Name: "cgrid_connected_meters", Value: 17 });

        // An external broker's sessions are not the gateway's to count: no sample rather than a false 0.
        metrics.Observe(() => 0, null);
        Assert.DoesNotContain(Parse(PrometheusText.Render(metrics.Snapshot())), s => s.Name == "cgrid_connected_meters");
    }

    [Fact]
    public void Process_figures_render_under_the_usual_names()
    {
        var process = new ProcessFigures(ResidentMemoryBytes: 50_000_000, VirtualMemoryBytes: 900_000_000, CpuSeconds: 12.3456,
            StartTimeUnixSeconds: 1_800_000_000, OpenFileDescriptors: 42, GcHeapBytes: 7_000_000);

        string text = PrometheusText.Render(new GatewayMetrics().Snapshot(), process);
        List<Sample> samples = Parse(text);

        Assert.Contains(samples, s => s is { Name: "process_resident_memory_bytes", Value: 50_000_000 });
        Assert.Contains(samples, s => s is { Name: "process_virtual_memory_bytes", Value: 900_000_000 });
        Assert.Contains("\nprocess_cpu_seconds_total 12.346\n", text);
        Assert.Contains("# TYPE process_cpu_seconds_total counter\n", text);
        Assert.Contains(samples, s => s is { Name: "process_start_time_seconds", Value: 1_800_000_000 });
        Assert.Contains(samples, s => s is { Name: "process_open_fds", Value: 42 });
        Assert.Contains(samples, s => s is { Name: "dotnet_total_memory_bytes", Value: 7_000_000 });

        string withoutProc = PrometheusText.Render(new GatewayMetrics().Snapshot(), process with { OpenFileDescriptors = null });
        Assert.DoesNotContain(Parse(withoutProc), s => s.Name == "process_open_fds");
    }

    [Fact]
    public void Process_figures_read_from_this_process_are_plausible()
    {
        ProcessFigures p = ProcessFigures.Read();
        Assert.True(p.ResidentMemoryBytes > 0);
        Assert.True(p.CpuSeconds > 0);
        Assert.InRange(p.StartTimeUnixSeconds, 1, System.DateTimeOffset.UtcNow.ToUnixTimeSeconds());
        Assert.True(p.OpenFileDescriptors is > 0, "Linux exposes /proc/self/fd");
        Assert.True(p.GcHeapBytes > 0);
    }

    private static string? GetParameter(HttpResponseMessage response, string name)
    {
        foreach (var p in response.Content.Headers.ContentType!.Parameters) if (p.Name == name) return p.Value;
        return null;
    }

    [Fact]
    public void Escapes_follow_the_text_format()
    {
        var metrics = new GatewayMetrics();
        metrics.RecordReadingAccepted("a\"b\\c\nd");
        string text = PrometheusText.Render(metrics.Snapshot());
        Assert.Contains("meter=\"a\\\"b\\\\c\\nd\"", text);
        Assert.DoesNotContain("\r", text);
        Assert.True(Encoding.UTF8.GetByteCount(text) > 0);
    }
}
