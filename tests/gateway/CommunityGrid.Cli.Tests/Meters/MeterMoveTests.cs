using System;
using System.IO;
using CommunityGrid.Chain.Genesis;
using CommunityGrid.Formats.Keys;
using CommunityGrid.Meter.Messaging;

namespace CommunityGrid.Cli.Tests.Meters;

/// <summary>
/// <c>cgrid meter move</c> signs one move instruction per meter of a split genesis; the meter's own decoder opens what it
/// wrote (the gateway side encodes with System.Formats.Cbor, the meter reads with its portable decoder). Bad input:
/// exit 2, nothing signed. Publishing to a gateway's broker is shown end to end in MeterMoveEndToEndTests.
/// </summary>
public sealed class MeterMoveTests : IDisposable
{
    private const long ExitInterval = 1_780_358_400; // 2026-06-02T00:00:00Z
    private readonly string directory = Directory.CreateTempSubdirectory("cgrid-move-").FullName;
    private readonly KeyFile installer = KeyFile.Generate();
    private readonly KeyFile gateway2 = KeyFile.Generate();
    private readonly KeyFile meter2 = KeyFile.Generate();
    private readonly KeyFile meter3 = KeyFile.Generate();

    public MeterMoveTests()
    {
        installer.WriteNew(KeyPath);
        GenesisFile.Write(SplitGenesisPath, new GenesisDocument
        {
            ChainId = "maple",
            Name = "Maple",
            Currency = "EUR",
            MinorUnitDigits = 2,
            RetailPrice = 300,
            FeedInPrice = 80,
            Members = [new GenesisMember("h2", KeyFile.Generate().PublicKeyHex), new GenesisMember("h3", KeyFile.Generate().PublicKeyHex)],
            InstallerKeys = [installer.PublicKeyHex],
            TreasurerKeys = [KeyFile.Generate().PublicKeyHex],
            Validators = [new GenesisValidator(gateway2.PublicKeyHex, "127.0.0.1:7002")],
            GenesisTimeMs = ExitInterval * 1000,
            Parent = new GenesisParent("oakfield", 12, new string('a', 64), new string('b', 64), ExitInterval),
            Meters = [new GenesisMeter("m2", "h2", meter2.PublicKeyHex, 1, 1500, 0, 0), new GenesisMeter("m3", "h3", meter3.PublicKeyHex, 1, 700, 20, 0)],
        });
    }

    private string KeyPath => Path.Combine(directory, "installer.key");

    private string SplitGenesisPath => Path.Combine(directory, "maple-genesis.json");

    private CgridProcess.Result Move(params string[] args) => CgridProcess.Run(null, ["meter", "move", .. args]);

    [Fact]
    public void Writes_one_instruction_per_meter_that_the_meter_opens_with_the_installer_key()
    {
        string output = Path.Combine(directory, "moves");
        CgridProcess.Result result = Move("--genesis", SplitGenesisPath, "--key", KeyPath, "--new-broker", "mqtt://maple-gw.local:1883",
            "--new-broker", "mqtt://10.0.0.9", "--out", output);
        Assert.True(result.ExitCode == 0, result.Stderr);
        Assert.Contains("m2: moves from chain 'oakfield' to 'maple' from 2026-06-02T00:00:00Z", result.Stdout);
        Assert.Contains("m3: moves", result.Stdout);

        var trusted = new TrustedSigners([installer.PublicKey]);
        MoveInstruction move = MoveInstruction.Open(File.ReadAllBytes(Path.Combine(output, "m2.move")), trusted);
        Assert.Equal(("oakfield", "m2", "maple", ExitInterval), (move.ChainId, move.MeterId, move.NewChainId, move.FromIntervalStart));
        Assert.Equal([gateway2.PublicKey], move.NewGatewayKeys);
        Assert.Equal(["mqtt://maple-gw.local:1883", "mqtt://10.0.0.9"], move.NewBrokers);
        Assert.Equal("m3", MoveInstruction.Open(File.ReadAllBytes(Path.Combine(output, "m3.move")), trusted).MeterId);
        // Signed by the installer, so a meter that trusts only some other key refuses it.
        Assert.Throws<UntrustedSignerException>(() => MoveInstruction.Open(File.ReadAllBytes(Path.Combine(output, "m2.move")), new TrustedSigners([meter2.PublicKey])));
    }

    [Fact]
    public void Only_the_meters_asked_for()
    {
        string output = Path.Combine(directory, "only");
        CgridProcess.Result result = Move("--genesis", SplitGenesisPath, "--key", KeyPath, "--new-broker", "mqtt://maple-gw.local", "--out", output, "--meter", "m3");
        Assert.True(result.ExitCode == 0, result.Stderr);
        Assert.False(File.Exists(Path.Combine(output, "m2.move")));
        Assert.True(File.Exists(Path.Combine(output, "m3.move")));
    }

    [Theory]
    [InlineData("no destination", "--new-broker", "mqtt://gw")]
    [InlineData("must start with mqtt://", "--new-broker", "http://gw", "--out", "x")]
    [InlineData("the port must be", "--new-broker", "mqtt://gw:99999", "--out", "x")]
    [InlineData("all be mqtt:// or all mqtts://", "--new-broker", "mqtt://a", "--new-broker", "mqtts://b", "--out", "x")]
    [InlineData("is not a meter of the new community", "--new-broker", "mqtt://gw", "--out", "x", "--meter", "m9")]
    [InlineData("must start with mqtt://", "--new-broker", "mqtt://gw", "--broker", "gw:1883")]
    public void Bad_input_signs_nothing_and_exits_2(string said, params string[] args)
    {
        CgridProcess.Result result = Move(["--genesis", SplitGenesisPath, "--key", KeyPath, .. args]);
        Assert.Equal(2, result.ExitCode);
        Assert.StartsWith("error: ", result.Stderr);
        Assert.Contains(said == "no destination" ? "--broker" : said, result.Stderr);
        Assert.DoesNotContain("   at ", result.Stderr);
    }

    [Fact]
    public void A_genesis_without_a_parent_link_or_an_unreadable_key_is_refused()
    {
        string plain = Path.Combine(directory, "plain.json");
        GenesisDocument split = GenesisFile.Load(SplitGenesisPath);
        GenesisFile.Write(plain, split with { Parent = null, Meters = null, GenesisTimeMs = 1_700_000_000_000 });
        CgridProcess.Result noParent = Move("--genesis", plain, "--key", KeyPath, "--new-broker", "mqtt://gw", "--out", Path.Combine(directory, "o"));
        Assert.Equal(2, noParent.ExitCode);
        Assert.Contains("cgrid community split", noParent.Stderr);
        CgridProcess.Result noKey = Move("--genesis", SplitGenesisPath, "--key", Path.Combine(directory, "missing.key"), "--new-broker", "mqtt://gw", "--out", Path.Combine(directory, "o"));
        Assert.Equal(2, noKey.ExitCode);
        Assert.False(Directory.Exists(Path.Combine(directory, "o")));
    }

    [Fact]
    public void An_unreachable_broker_fails_the_check_with_exit_1()
    {
        int closed = CommunityGrid.Peering.Transport.LoopbackPorts.Reserve();
        CgridProcess.Result result = Move("--genesis", SplitGenesisPath, "--key", KeyPath, "--new-broker", "mqtt://gw", "--broker", $"mqtt://127.0.0.1:{closed}");
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("could not reach the broker", result.Stderr);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
