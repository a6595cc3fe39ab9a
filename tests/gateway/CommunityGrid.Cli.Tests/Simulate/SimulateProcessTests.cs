using System;
using System.IO;
using Microsoft.Data.Sqlite;

namespace CommunityGrid.Cli.Tests.Simulate;

/// <summary><c>cgrid simulate</c> and <c>cgrid verify</c> as processes: the MQTT path end to end, then tampering.</summary>
public class SimulateProcessTests
{
    [Fact]
    public void SimulateOverMqttWithFailuresThenVerifyThenDetectTampering()
    {
        string dir = Path.Combine(Path.GetTempPath(), "cgrid-sim-cli", Guid.NewGuid().ToString("N"));
        try
        {
            CgridProcess.Result run = CgridProcess.Run(null, "simulate", "--houses", "10", "--days", "1", "--seed", "3", "--out", dir, "--gateways", "1",
                "--drop-meter", "h004:09:00-13:00", "--restart-gateway", "11:00");
            Assert.True(run.ExitCode == 0, run.Stdout + run.Stderr);
            Assert.Contains("VALID", run.Stdout);
            // Without a terminal (CI logs) the run says what it does: its stages and a line per 10 % of virtual time.
            foreach (string stage in new[] { "building the community", "generating PV and load profiles", "starting the gateway", "verifying the chain", "writing the report" })
            {
                Assert.Contains(stage, run.Stdout);
            }
            Assert.True(System.Text.RegularExpressions.Regex.Matches(run.Stdout, @"^\s*\d+ %  2026-06-0\d \d\d:\d\d UTC  readings \d+", System.Text.RegularExpressions.RegexOptions.Multiline).Count >= 10, run.Stdout);
            Assert.Contains("mqtt, 1 gateway restart(s)", run.Stdout.Replace("\n", " ").Replace("│", " ").Replace("  ", " "));
            // The meters are light clients: proofs verified, none refused (a refusal would make the run exit 1).
            Assert.Matches(@"proofs verified / refused.{0,80}?\s[1-9]\d* / 0 / \d+", run.Stdout.Replace("\n", " ").Replace("│", " "));
            foreach (string file in new[] { "report.html", "report.json", "intervals.csv", "houses.csv", "genesis.json", "chain.sqlite" })
            {
                Assert.True(File.Exists(Path.Combine(dir, file)), file);
            }

            CgridProcess.Result verify = CgridProcess.Run(null, "verify", "--data", dir);
            Assert.True(verify.ExitCode == 0, verify.Stdout + verify.Stderr);
            Assert.StartsWith("VALID", verify.Stdout);

            Tamper(Path.Combine(dir, "chain.sqlite"));
            CgridProcess.Result tampered = CgridProcess.Run(null, "verify", "--data", dir);
            Assert.Equal(1, tampered.ExitCode);
            Assert.StartsWith("INVALID", tampered.Stdout);
        }
        finally
        {
            if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void SimulateWithFourGatewaysAndOneStoppedVerifiesEveryStore()
    {
        string dir = Path.Combine(Path.GetTempPath(), "cgrid-sim-cli", Guid.NewGuid().ToString("N"));
        try
        {
            CgridProcess.Result run = CgridProcess.Run(null, "simulate", "--houses", "6", "--hours", "2", "--seed", "5", "--out", dir, "--stop-gateway", "g2:00:30-01:15");
            Assert.True(run.ExitCode == 0, run.Stdout + run.Stderr);
            Assert.Contains("starting 4 gateways, one per street", run.Stdout);
            foreach (string g in new[] { "g1", "g2", "g3", "g4" }) Assert.Contains($"VALID {g} (height", run.Stdout);
            Assert.Contains("IDENTICAL: all 4 gateways hold the same chain", run.Stdout);
            string flat = run.Stdout.Replace("\n", " ").Replace("│", " ");
            Assert.Matches(@"1\s+stop\(s\)", flat);
            Assert.Matches(@"proofs verified / refused.{0,80}?\s[1-9]\d* / 0 / \d+", flat);

            // Each store is a gateway's data directory that `cgrid verify` checks on its own, as on a gateway's host.
            CgridProcess.Result verify = CgridProcess.Run(null, "verify", "--data", Path.Combine(dir, "gateways", "g2"), "--genesis", Path.Combine(dir, "genesis.json"));
            Assert.True(verify.ExitCode == 0, verify.Stdout + verify.Stderr);
            Assert.StartsWith("VALID", verify.Stdout);
        }
        finally
        {
            if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void VerifyOfADirectoryWithoutAChainIsBadInput()
    {
        CgridProcess.Result result = CgridProcess.Run(null, "verify", "--data", Path.Combine(Path.GetTempPath(), Guid.NewGuid().ToString("N")));
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("genesis.json", result.Stderr);
    }

    [Theory]
    [InlineData("--drop-meter", "h003")]
    [InlineData("--drop-meter", "h999:10:00-11:00")]
    [InlineData("--restart-gateway", "noon")]
    [InlineData("--mechanism", "magic")]
    [InlineData("--gateways", "0")]
    [InlineData("--stop-gateway", "g9:10:00-11:00")]
    [InlineData("--stop-gateway", "gateway2:10:00-11:00")]
    [InlineData("--start", "June 1st")]
    public void MalformedOptionsAreBadInput(string option, string value)
    {
        CgridProcess.Result result = CgridProcess.Run(null, "simulate", "--houses", "2", "--out", Path.Combine(Path.GetTempPath(), Guid.NewGuid().ToString("N")), option, value);
        Assert.Equal(2, result.ExitCode);
        Assert.Contains(option, result.Stderr);
    }

    /// <summary>Gives h001 one more minor unit in the stored state: a replay from genesis must notice.</summary>
    private static void Tamper(string chainPath)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = chainPath, Pooling = false }.ToString());
        connection.Open();
        using SqliteCommand update = connection.CreateCommand();
        // CBOR int 0 (0x00) or any small value: replace the balance with CBOR 1 (0x01), which replay will not reproduce.
        update.CommandText = "UPDATE state SET value = CASE WHEN value = x'01' THEN x'02' ELSE x'01' END WHERE key = 'balance/h001'";
        Assert.Equal(1, update.ExecuteNonQuery());
    }
}
