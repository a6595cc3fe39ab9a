using CommunityGrid.Peering.Transport;
using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using System.Threading.Tasks;
using CommunityGrid.Node.Tests.Support;
using CommunityGrid.Storage;
using Microsoft.Data.Sqlite;

namespace CommunityGrid.Node.Tests.Hosting;

/// <summary>
/// Issue 11 cases 5, 7 and 10 through the real <c>cgrid</c> process, on a gateway's own layout (genesis file outside
/// the data directory): a lost or damaged chain is refused by <c>gateway run</c> and reported INVALID by
/// <c>verify</c>, each with exit 1, a message saying what to do and no stack trace; <c>verify --genesis</c> checks a
/// gateway's data directory read-only, also while the gateway runs.
/// </summary>
public sealed class DamagedChainProcessTests
{
    private static async Task<(int Exit, string Stdout, string Stderr)> CgridAsync(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "cgrid.dll"));
        foreach (string arg in args) start.ArgumentList.Add(arg);
        using Process process = Process.Start(start)!;
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        Task exited = process.WaitForExitAsync();
        if (await Task.WhenAny(exited, Task.Delay(TimeSpan.FromSeconds(60))) != exited)
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"cgrid {string.Join(' ', args)} did not exit within 60 s:\n" + await stdout);
        }
        return (process.ExitCode, await stdout, await stderr);
    }

    private static Task<(int Exit, string Stdout, string Stderr)> RunGatewayAsync(TestGrid grid) =>
        CgridAsync("gateway", "run", "--genesis", grid.GenesisPath, "--data", grid.DataDirectory, "--key", grid.GatewayKeyPath, "--mqtt", $"127.0.0.1:{LoopbackPorts.Reserve()}");

    private static Task<(int Exit, string Stdout, string Stderr)> VerifyAsync(TestGrid grid) =>
        CgridAsync("verify", "--data", grid.DataDirectory, "--genesis", grid.GenesisPath);

    private static void AssertNoTrace(string output)
    {
        Assert.DoesNotContain("Unhandled exception", output);
        Assert.DoesNotContain("Exception:", output);
        Assert.DoesNotContain("   at ", output);
    }

    /// <summary>The WAL is folded into the file when the last connection closes; damage then hits the real file.</summary>
    private static void Settle() => SqliteConnection.ClearAllPools();

    [Fact]
    public async Task A_zero_length_chain_is_refused_by_the_gateway_and_invalid_for_verify()
    {
        using var grid = new TestGrid(1);
        Settle();
        File.WriteAllBytes(grid.DatabasePath, []);

        (int exit, string stdout, string stderr) = await RunGatewayAsync(grid);
        Assert.Equal(1, exit);
        Assert.Contains("holds no chain: the file is empty (0 bytes)", stderr);
        Assert.Contains("--init", stderr);
        AssertNoTrace(stdout + stderr);
        Assert.Equal(0, new FileInfo(grid.DatabasePath).Length);

        (exit, stdout, stderr) = await VerifyAsync(grid);
        Assert.Equal(1, exit);
        Assert.StartsWith("INVALID:", stdout);
        Assert.DoesNotContain("VALID: chain verified", stdout);
        AssertNoTrace(stdout + stderr);
    }

    [Theory]
    [InlineData("header byte")]
    [InlineData("half truncated")]
    [InlineData("blob as text")]
    public async Task Damage_is_named_with_what_to_do_and_exit_1(string damage)
    {
        using var grid = new TestGrid(2);
        Settle();
        switch (damage)
        {
            case "header byte":
                using (FileStream file = File.OpenWrite(grid.DatabasePath)) file.Write("XQLite"u8);
                break;
            case "half truncated":
                using (FileStream file = File.OpenWrite(grid.DatabasePath)) file.SetLength(file.Length / 2);
                break;
            case "blob as text":
                using (var db = new SqliteConnection($"Data Source={grid.DatabasePath};Pooling=False"))
                {
                    db.Open();
                    using SqliteCommand alter = db.CreateCommand();
                    alter.CommandText = "UPDATE blocks SET body = CAST(body AS TEXT) WHERE height = 1";
                    Assert.Equal(1, alter.ExecuteNonQuery());
                }
                Settle();
                break;
        }
        string expected = damage == "blob as text" ? "column 'body' holds TEXT" : "is damaged";

        (int exit, string stdout, string stderr) = await RunGatewayAsync(grid);
        Assert.Equal(1, exit);
        Assert.Contains(expected, stderr);
        Assert.Contains("backup", stderr);
        AssertNoTrace(stdout + stderr);

        (exit, stdout, stderr) = await VerifyAsync(grid);
        Assert.Equal(1, exit);
        Assert.StartsWith("INVALID:", stdout);
        Assert.Contains(expected, stdout);
        AssertNoTrace(stdout + stderr);
    }

    [Fact]
    public async Task Verify_checks_a_gateway_data_directory_with_genesis_and_writes_nothing()
    {
        using var grid = new TestGrid(2);
        Settle();
        string[] before = Directory.GetFiles(grid.DataDirectory).Order().ToArray();
        byte[] hash = SHA256.HashData(File.ReadAllBytes(grid.DatabasePath));

        (int exit, string stdout, string stderr) = await CgridAsync("verify", "--data", grid.DataDirectory);
        Assert.Equal(2, exit);
        Assert.Contains("--genesis", stderr);

        (exit, stdout, stderr) = await VerifyAsync(grid);
        Assert.True(exit == 0, stdout + stderr);
        Assert.StartsWith("VALID:", stdout);
        Assert.Contains("height 1", stdout);
        Assert.Equal(hash, SHA256.HashData(File.ReadAllBytes(grid.DatabasePath)));
        Assert.Equal(before, Directory.GetFiles(grid.DataDirectory).Where(f => !f.EndsWith("-wal", StringComparison.Ordinal) && !f.EndsWith("-shm", StringComparison.Ordinal)).Order().ToArray());
    }

    [Fact]
    public async Task Verify_checks_a_running_gateway_without_disturbing_it()
    {
        using var grid = new TestGrid(2);
        using GatewayProcess gateway = await GatewayProcess.StartAsync(grid, "--mqtt", $"127.0.0.1:{LoopbackPorts.Reserve()}");
        // Genesis lies two intervals back, so the gateway closes them in a block of its own.
        await Waits.UntilAsync(() => gateway.LinesContaining("block committed").Any(), TimeSpan.FromSeconds(30), "the gateway's first block");

        (int exit, string stdout, string stderr) = await VerifyAsync(grid);
        Assert.True(exit == 0, stdout + stderr);
        Assert.StartsWith("VALID:", stdout);
        Assert.False(gateway.HasExited);
        Assert.Empty(gateway.LinesContaining("error"));
        Assert.Equal(0, await gateway.StopAsync());

        using ChainStore reopened = ChainStore.Open(grid.DatabasePath, grid.Genesis);
        Assert.True(reopened.Height >= 2);
    }

    [Fact]
    public async Task Init_starts_a_new_chain_only_when_asked()
    {
        using var grid = new TestGrid(1);
        Settle();
        File.WriteAllBytes(grid.DatabasePath, []);
        using (GatewayProcess gateway = await GatewayProcess.StartAsync(grid, "--mqtt", $"127.0.0.1:{LoopbackPorts.Reserve()}", "--init"))
        {
            // The new chain is live: the gateway closes the intervals since genesis in its first block.
            await Waits.UntilAsync(() => gateway.LinesContaining("block committed").Any(), TimeSpan.FromSeconds(30), "the new chain's first block");
            gateway.KillHard();
        }
        Assert.True(File.Exists(Path.Combine(grid.DataDirectory, ChainDirectory.MarkerFileName)));
        using ChainStore created = ChainStore.Open(grid.DatabasePath, grid.Genesis);
        Assert.Equal(1, created.Height); // created from genesis over the empty file, then its first block
    }
}
