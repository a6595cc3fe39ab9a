using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net.Http;
using System.Text.Json;
using System.Threading.Tasks;
using CommunityGrid.Chain.Genesis;
using CommunityGrid.Formats.Keys;
using CommunityGrid.Node.Hosting;
using CommunityGrid.Node.Tests.Support;
using CommunityGrid.Peering.Transport;
using CommunityGrid.Storage;

namespace CommunityGrid.Node.Tests.EndToEnd;

/// <summary>
/// A meter follows its house to the new chain without a site visit, through real processes on the wall clock with
/// one-minute intervals: a real cgrid-meter reports to the old community's gateway over its embedded broker, its house
/// exits, <c>cgrid community split</c> writes the new genesis, <c>cgrid meter move</c> signs the move instruction with
/// the installer key and leaves it retained on the old gateway's broker, the meter takes it over MQTT and, once the
/// old chain has acknowledged its last interval, reports to the new community's gateway. Every interval of the meter
/// is committed in exactly one chain (before the exit interval in the old, from it in the new), none twice, none
/// lost, and both chains verify. Takes three to four minutes.
/// </summary>
[Collection(nameof(WallClockGovernance))]
public sealed class MeterMoveEndToEndTests : IDisposable
{
    private const int IntervalSeconds = WallClockStreet.IntervalSeconds;
    private readonly WallClockStreet street = new("cg-move-e2e", "gateway", "gateway2", "installer", "treasurer", "treasurer2", "h1", "h2", "m2");

    [Fact]
    public async Task A_real_meter_takes_its_move_over_MQTT_and_commits_every_interval_in_exactly_one_chain()
    {
        string oldData = Path.Combine(street.Directory, "old"), newData = Path.Combine(street.Directory, "new");
        Directory.CreateDirectory(oldData);
        Directory.CreateDirectory(newData);
        // The grace is the time the meter's last reading before the exit interval has to be committed on the old chain
        // before the exit becomes final (later, the old chain refuses it as MeterRetired); 20 s leaves a busy machine
        // room for that and still 40 s for the split and the move before the meter signs the exit interval.
        GenesisDocument genesis = street.Genesis("old-move", "Old street", graceSeconds: 20, "h1", "h2");
        string oldGenesisPath = Path.Combine(oldData, "genesis.json");
        GenesisFile.Write(oldGenesisPath, genesis);
        int oldPort = LoopbackPorts.Reserve(), oldMqtt = LoopbackPorts.Reserve(), newPort = LoopbackPorts.Reserve(), newMqtt = LoopbackPorts.Reserve();
        string oldApi = $"http://127.0.0.1:{oldPort}";
        using GatewayProcess oldGateway = await GatewayProcess.StartAsync(oldGenesisPath, oldData, street.KeyPaths["gateway"],
            "--http", $"127.0.0.1:{oldPort}", "--mqtt", $"127.0.0.1:{oldMqtt}");
        using var oldHttp = new HttpClient { BaseAddress = new Uri(oldApi), Timeout = TimeSpan.FromSeconds(10) };
        CgridRun.Ok("meter", "enrol", "--gateway", oldApi, "--installer-key", street.KeyPaths["installer"], "--meter-key-public", street.Keys["m2"].PublicKeyHex,
            "--meter-id", "m2", "--house", "h2", "--role", "connection", "--wait", "10");

        // The meter on the wall clock (time scale 1), trusting the old gateway's key and the installer's for a move.
        using CgridMeterProcess meter = CgridMeterProcess.Start(street.Directory, "m2", street.Keys["m2"].Seed, "old-move", [street.Keys["gateway"].PublicKeyHex], [oldMqtt],
            DateTimeOffset.UtcNow, timeScale: 1, intervalSeconds: IntervalSeconds, installerKeysHex: [street.Keys["installer"].PublicKeyHex]);
        long now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        long exitStart = (now / IntervalSeconds + 2) * IntervalSeconds;
        CgridRun.Ok("exit", "leave", "--gateway", oldApi, "--member-key", street.KeyPaths["h2"], "--to", "new-move", "--from", exitStart.ToString(), "--wait", "10");

        // Final once the interval before the exit interval has closed; then the split and the move, well before the meter signs interval E.
        await Waits.UntilAsync(() => ExitIsFinal(oldHttp), TimeSpan.FromSeconds(200), "the exit to become final");
        string splitGenesisPath = Path.Combine(newData, "genesis.json");
        CgridRun.Ok("community", "split", "--parent-data", oldData, "--id", "new-move", "--name", "New street", "--out", splitGenesisPath,
            "--installer", street.Keys["installer"].PublicKeyHex, "--treasurer", street.Keys["treasurer2"].PublicKeyHex,
            "--validator", street.Keys["gateway2"].PublicKeyHex + "@127.0.0.1:7002");
        string moved = CgridRun.Ok("meter", "move", "--genesis", splitGenesisPath, "--key", street.KeyPaths["installer"],
            "--new-broker", $"mqtt://127.0.0.1:{newMqtt}", "--broker", $"mqtt://127.0.0.1:{oldMqtt}");
        Assert.Contains("m2: moves from chain 'old-move' to 'new-move'", moved);
        await UntilAsync(() => meter.Contains("event=move.applied"), TimeSpan.FromSeconds(30), "the meter to apply the move", meter);
        // Delivered in time: the move starts exactly at the exit interval.
        Assert.Contains($"from_interval={exitStart}", meter.Lines.First(l => l.Contains("event=move.applied", StringComparison.Ordinal)));

        GenesisDocument split = GenesisFile.Load(splitGenesisPath);
        using GatewayProcess newGateway = await GatewayProcess.StartAsync(splitGenesisPath, newData, street.KeyPaths["gateway2"],
            "--http", $"127.0.0.1:{newPort}", "--mqtt", $"127.0.0.1:{newMqtt}");
        using var newHttp = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{newPort}"), Timeout = TimeSpan.FromSeconds(10) };
        await UntilAsync(() => CommittedReadings(newHttp) >= 2, TimeSpan.FromSeconds(200), "two readings of m2 committed on the new chain", meter, newGateway);
        meter.Dispose();

        Assert.Equal(0, await oldGateway.StopAsync());
        Assert.Equal(0, await newGateway.StopAsync());
        CgridRun.Result verifyOld = CgridRun.Run("verify", "--data", oldData);
        Assert.True(verifyOld.ExitCode == 0, verifyOld.ToString());
        CgridRun.Result verifyNew = CgridRun.Run("verify", "--data", newData, "--parent-data", oldData);
        Assert.True(verifyNew.ExitCode == 0, verifyNew.ToString());

        string log = meter.Log;
        string[] rejected = meter.Lines.Where(l => l.Contains("reading.rejected", StringComparison.Ordinal)).ToArray();
        Assert.True(rejected.Length == 0, $"exit interval {exitStart}; the meter saw readings rejected:\n{string.Join('\n', rejected)}\nold gateway:\n{oldGateway.Log}");
        Assert.Contains("move.switched", log);
        using ChainStore oldStore = ChainStore.Open(Path.Combine(oldData, GatewayNode.DatabaseFileName), genesis, VerifyMode.Headers);
        using ChainStore newStore = ChainStore.Open(Path.Combine(newData, GatewayNode.DatabaseFileName), split, VerifyMode.Headers);
        IReadOnlyList<StoredReading> before = oldStore.GetReadings("m2", limit: 1000), after = newStore.GetReadings("m2", limit: 1000);
        Assert.NotEmpty(before);
        Assert.All(before, r => Assert.True(r.IntervalStart < exitStart, $"old chain committed interval {r.IntervalStart}; exit {exitStart}"));
        Assert.All(after, r => Assert.True(r.IntervalStart >= exitStart, $"new chain committed interval {r.IntervalStart}; exit {exitStart}"));
        // None twice, none lost: one reading per interval from the meter's first to its last, sequences running on across the move.
        var all = before.Concat(after).OrderBy(r => r.Sequence).ToList();
        Assert.Equal(Enumerable.Range(1, all.Count).Select(i => (long)i), all.Select(r => r.Sequence));
        Assert.Equal(Enumerable.Range(0, all.Count).Select(i => all[0].IntervalStart + i * IntervalSeconds), all.Select(r => r.IntervalStart));
        Assert.Equal(exitStart - IntervalSeconds, before.Max(r => r.IntervalStart));
        Assert.Equal(exitStart, after.Min(r => r.IntervalStart));
        // The new chain counts on from the registers the old one last accepted.
        Assert.Equal(before.Max(r => r.ImportWh), split.Meters!.Single(m => m.MeterId == "m2").ImportWh);
    }

    private static async Task UntilAsync(Func<bool> condition, TimeSpan timeout, string what, CgridMeterProcess meter, GatewayProcess? gateway = null)
    {
        DateTime until = DateTime.UtcNow + timeout;
        while (!condition())
        {
            if (DateTime.UtcNow > until) Assert.Fail($"timed out after {timeout.TotalSeconds} s waiting for {what}\nmeter:\n{meter.Log}\ngateway:\n{gateway?.Log}");
            await Task.Delay(200);
        }
    }

    private static bool ExitIsFinal(HttpClient http)
    {
        using HttpResponseMessage response = http.GetAsync("/houses/h2/exit").GetAwaiter().GetResult();
        if (!response.IsSuccessStatusCode) return false;
        using JsonDocument exit = JsonDocument.Parse(response.Content.ReadAsStringAsync().GetAwaiter().GetResult());
        return exit.RootElement.GetProperty("status").GetString() != "announced";
    }

    private static int CommittedReadings(HttpClient http)
    {
        using JsonDocument readings = JsonDocument.Parse(http.GetStringAsync("/meters/m2/readings").GetAwaiter().GetResult());
        return readings.RootElement.GetProperty("readings").GetArrayLength();
    }

    public void Dispose() => street.Dispose();
}
