using CommunityGrid.Peering.Transport;
using System;
using System.Diagnostics;
using System.IO;
using System.Threading.Tasks;
using CommunityGrid.Formats.Keys;
using CommunityGrid.Node.Tests.Support;
using Microsoft.Data.Sqlite;

namespace CommunityGrid.Node.Tests.Hosting;

/// <summary>`cgrid gateway run` refuses to start, with exit code 1 and a message that says why, on a chain or key it must not run on.</summary>
public sealed class StartupTests
{
    [Fact]
    public async Task A_key_that_is_not_the_genesis_validator_is_refused()
    {
        using var grid = new TestGrid(1);
        string otherKey = Path.Combine(grid.Directory, "other.key");
        KeyFile.Generate().WriteNew(otherKey);
        (int exit, string stderr) = await RunAsync(grid, "--key", otherKey);
        Assert.Equal(1, exit);
        Assert.Contains("is not the chain's validator", stderr);
    }

    [Fact]
    public async Task A_chain_altered_on_disk_is_refused_naming_the_block()
    {
        using var grid = new TestGrid(1);
        using (var db = new SqliteConnection($"Data Source={grid.DatabasePath};Pooling=False"))
        {
            db.Open();
            using SqliteCommand alter = db.CreateCommand();
            alter.CommandText = "UPDATE blocks SET hash = zeroblob(32) WHERE height = 1";
            Assert.Equal(1, alter.ExecuteNonQuery());
        }
        (int exit, string stderr) = await RunAsync(grid, "--key", grid.GatewayKeyPath);
        Assert.Equal(1, exit);
        Assert.Contains("does not verify", stderr);
        Assert.Contains("block 1", stderr);
    }

    [Fact]
    public async Task Both_broker_options_at_once_are_bad_usage()
    {
        using var grid = new TestGrid(1);
        (int exit, string stderr) = await RunAsync(grid, "--key", grid.GatewayKeyPath, "--mqtt", "127.0.0.1:1", "--mqtt-broker", "mqtt://127.0.0.1:2");
        Assert.Equal(2, exit);
        Assert.Contains("either --mqtt", stderr);
    }

    private static async Task<(int Exit, string Stderr)> RunAsync(TestGrid grid, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string arg in new[] { Path.Combine(AppContext.BaseDirectory, "cgrid.dll"), "gateway", "run", "--genesis", grid.GenesisPath, "--data", grid.DataDirectory, "--mqtt", $"127.0.0.1:{LoopbackPorts.Reserve()}" })
        {
            if (arg == "--mqtt" && Array.IndexOf(args, "--mqtt-broker") >= 0) break;
            start.ArgumentList.Add(arg);
        }
        foreach (string arg in args) start.ArgumentList.Add(arg);
        using Process process = Process.Start(start)!;
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        Task exited = process.WaitForExitAsync();
        if (await Task.WhenAny(exited, Task.Delay(TimeSpan.FromSeconds(30))) != exited)
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail("cgrid gateway run did not exit within 30 s:\n" + await stdout);
        }
        return (process.ExitCode, await stderr);
    }
}
