using CommunityGrid.Peering.Transport;
using System;
using System.Collections.Generic;
using System.Linq;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Threading.Tasks;
using CommunityGrid.Chain.Encoding;
using CommunityGrid.Chain.Transactions;
using CommunityGrid.Storage;
using Xunit.Abstractions;

namespace CommunityGrid.Node.Tests.Support;

/// <summary>
/// Real `cgrid gateway run` processes for a <see cref="ClusterGrid"/>, one per validator, each with its HTTP API and
/// embedded broker on free loopback ports; what the tests read of the chains they read from the SQLite files.
/// </summary>
public sealed class ClusterProcesses(ClusterGrid grid, ITestOutputHelper output) : IAsyncDisposable
{
    private readonly int[] httpPorts = Enumerable.Range(0, grid.Gateways.Count).Select(_ => LoopbackPorts.Reserve()).ToArray();

    /// <summary>Each gateway's embedded MQTT broker port (fixed for the test, so meters find a restarted gateway again).</summary>
    public int[] MqttPorts { get; } = Enumerable.Range(0, grid.Gateways.Count).Select(_ => LoopbackPorts.Reserve()).ToArray();
    private readonly GatewayProcess?[] processes = new GatewayProcess?[grid.Gateways.Count];
    private readonly HttpClient http = new() { Timeout = TimeSpan.FromSeconds(5) };

    public int Count => processes.Length;

    public GatewayProcess? this[int gateway] => processes[gateway];

    public async Task StartAsync(int gateway, params string[] extraArgs)
    {
        processes[gateway]?.Dispose();
        processes[gateway] = await GatewayProcess.StartAsync(grid.GenesisPath, grid.DataDirectory(gateway), grid.KeyPath(gateway),
            new[] { "--http", $"127.0.0.1:{httpPorts[gateway]}", "--mqtt", $"127.0.0.1:{MqttPorts[gateway]}", "--p2p", $"127.0.0.1:{grid.PeerPorts[gateway]}" }
                .Concat(extraArgs).ToArray());
    }

    /// <summary>The base URL of gateway <paramref name="gateway"/>'s HTTP API.</summary>
    public string HttpBase(int gateway) => $"http://127.0.0.1:{httpPorts[gateway]}";

    /// <summary>POST /transactions; a gateway that is down (or dies meanwhile) is not an error here: callers resend like meters.</summary>
    public async Task PostAsync(int gateway, byte[] transaction)
    {
        using var body = new ByteArrayContent(transaction);
        body.Headers.ContentType = new MediaTypeHeaderValue("application/cbor");
        try
        {
            using HttpResponseMessage response = await http.PostAsync($"http://127.0.0.1:{httpPorts[gateway]}/transactions", body);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
        }
    }

    /// <summary>GET /status of a running gateway, as JSON.</summary>
    public async Task<System.Text.Json.JsonElement> StatusAsync(int gateway)
    {
        string body = await http.GetStringAsync($"http://127.0.0.1:{httpPorts[gateway]}/status");
        return System.Text.Json.JsonDocument.Parse(body).RootElement.Clone();
    }

    public long Height(int gateway)
    {
        using ChainStore store = ChainStore.OpenReadOnly(grid.DatabasePath(gateway), grid.Genesis, VerifyMode.Headers);
        return store.Height;
    }

    public string Tip(int gateway)
    {
        using ChainStore store = ChainStore.OpenReadOnly(grid.DatabasePath(gateway), grid.Genesis, VerifyMode.Headers);
        return Hashes.Hex(store.State.TipHash);
    }

    /// <summary>The hash of block <paramref name="height"/> in gateway <paramref name="gateway"/>'s store, or null.</summary>
    public string? BlockHash(int gateway, long height)
    {
        using ChainStore store = ChainStore.OpenReadOnly(grid.DatabasePath(gateway), grid.Genesis, VerifyMode.Headers);
        return store.GetBlock(height) is { } b ? Hashes.Hex(b.Hash) : null;
    }

    public bool Committed(int gateway, string meter, long sequence)
    {
        using ChainStore store = ChainStore.OpenReadOnly(grid.DatabasePath(gateway), grid.Genesis, VerifyMode.Headers);
        return store.GetReadings(meter, sequence - 1, 1).Any(r => r.Sequence == sequence);
    }

    /// <summary>Every reading in gateway <paramref name="gateway"/>'s chain, after a full replay from genesis (every commit verified).</summary>
    public static List<(string Meter, long Sequence)> VerifiedReadings(ClusterGrid grid, int gateway, ITestOutputHelper output)
    {
        using ChainStore store = grid.OpenChain(gateway);
        var readings = new List<(string, long)>();
        for (long h = 1; h <= store.Height; h++)
        {
            foreach (byte[] tx in store.GetBlock(h)!.Block.Body.Transactions)
            {
                if (Transaction.Decode(tx).Reading is { } r) readings.Add((r.MeterId, r.Sequence));
            }
        }
        output.WriteLine($"g{gateway}: height {store.Height}, tip {Hashes.Hex(store.State.TipHash)[..16]}, {readings.Count} readings");
        return readings;
    }

    /// <summary>What a stalled cluster needs explained: the height, round and step each gateway is in, and what it knows of its peers.</summary>
    private async Task<string> ConsensusSummaryAsync(int gateway)
    {
        try
        {
            System.Text.Json.JsonElement status = await StatusAsync(gateway);
            return status.TryGetProperty("consensus", out System.Text.Json.JsonElement consensus) ? consensus.GetRawText() : status.GetRawText();
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or System.Text.Json.JsonException)
        {
            return $"no status ({e.Message})";
        }
    }

    public void Kill(int gateway) => processes[gateway]?.KillHard();

    public async ValueTask DisposeAsync()
    {
        for (int g = 0; g < processes.Length; g++)
        {
            GatewayProcess? p = processes[g];
            if (p is null) continue;
            foreach (string line in p.Lines.TakeLast(30)) output.WriteLine($"g{g}: {line}");
            if (!p.HasExited) output.WriteLine($"g{g} consensus at the end: {await ConsensusSummaryAsync(g)}");
            if (!p.HasExited) await p.StopAsync();
            p.Dispose();
        }
        http.Dispose();
    }
}
