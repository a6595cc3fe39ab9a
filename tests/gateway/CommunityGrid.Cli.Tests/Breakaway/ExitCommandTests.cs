using System;
using System.Globalization;
using System.IO;
using CommunityGrid.Cli.Tests.Community;

namespace CommunityGrid.Cli.Tests.Breakaway;

/// <summary><c>cgrid exit</c> and <c>cgrid community split</c> against a gateway that seals every accepted transaction at once.</summary>
public sealed class ExitCommandTests(TestGateway gateway) : IClassFixture<TestGateway>
{
    private string MemberKeyPath => Path.Combine(gateway.Directory, "h1-member.key");

    private static string ExitInterval()
    {
        long now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        return ((now / 900 + 2) * 900).ToString(CultureInfo.InvariantCulture);
    }

    private CgridProcess.Result Cgrid(params string[] args) => CgridProcess.Run(null, args);

    [Fact]
    public void A_member_leaves_once_and_the_record_shows_it_announced_until_final()
    {
        string from = ExitInterval();
        CgridProcess.Result leave = Cgrid("exit", "leave", "--gateway", gateway.Url, "--member-key", MemberKeyPath, "--to", "new-street", "--from", from);
        Assert.True(leave.ExitCode == 0, leave.Stderr);
        CgridProcess.Result show = Cgrid("exit", "show", "--gateway", gateway.Url, "--house", "h1");
        Assert.True(show.ExitCode == 0, show.Stderr);
        Assert.Contains("leaves for 'new-street'", show.Stdout);
        Assert.Contains("status     announced", show.Stdout);

        CgridProcess.Result twice = Cgrid("exit", "leave", "--gateway", gateway.Url, "--member-key", MemberKeyPath, "--to", "other-street", "--from", from);
        Assert.Equal(1, twice.ExitCode);
        Assert.Contains("AlreadyExited", twice.Stderr);
        CgridProcess.Result early = Cgrid("exit", "settle", "--gateway", gateway.Url, "--treasurer-key", gateway.TreasurerKeyPath, "--house", "h1",
            "--paid-to-house", "100", "--reference", "too early");
        Assert.Equal(1, early.ExitCode);
        Assert.Contains("UnknownExit", early.Stderr);
    }

    [Fact]
    public void A_house_without_an_exit_has_no_record()
    {
        CgridProcess.Result show = Cgrid("exit", "show", "--gateway", gateway.Url, "--house", "h7");
        Assert.Equal(1, show.ExitCode);
        Assert.Contains("has not signed an exit", show.Stderr);
    }

    [Theory]
    [InlineData("leave", "--to", "New Street", "--from", "1800000000")]
    [InlineData("leave", "--to", "new-street", "--from", "next tuesday")]
    [InlineData("settle", "--house", "h1", "--paid-to-house", "5", "--received-from-house", "5", "--reference", "x")]
    [InlineData("settle", "--house", "h1", "--reference", "x")]
    [InlineData("settle", "--house", "h1", "--paid-to-house", "0", "--reference", "x")]
    public void Malformed_exits_are_refused_with_exit_2_before_anything_is_sent(string sub, params string[] args)
    {
        string[] key = sub == "leave" ? ["--member-key", MemberKeyPath] : ["--treasurer-key", gateway.TreasurerKeyPath];
        CgridProcess.Result result = Cgrid(["exit", sub, "--gateway", gateway.Url, .. key, .. args]);
        Assert.Equal(2, result.ExitCode);
        Assert.StartsWith("error: ", result.Stderr);
    }

    [Fact]
    public void A_split_without_the_old_chain_writes_nothing()
    {
        string empty = Directory.CreateTempSubdirectory("cgrid-split-").FullName;
        try
        {
            string output = Path.Combine(empty, "new.json");
            CgridProcess.Result result = Cgrid("community", "split", "--parent-data", empty, "--id", "new-street", "--name", "New street", "--out", output,
                "--installer", TestGateway.NewPublicKey(), "--treasurer", TestGateway.NewPublicKey(), "--validator", TestGateway.NewPublicKey() + "@127.0.0.1:7002");
            Assert.Equal(2, result.ExitCode);
            Assert.Contains("genesis.json not found", result.Stderr);
            Assert.False(File.Exists(output));
        }
        finally
        {
            Directory.Delete(empty, recursive: true);
        }
    }
}
