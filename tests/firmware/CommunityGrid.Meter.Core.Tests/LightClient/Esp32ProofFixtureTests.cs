using System;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;

namespace CommunityGrid.Meter.Core.Tests.LightClient;

/// <summary>
/// The ESP32 app's behaviour harness (tests/firmware/CommunityGrid.Meter.Esp32.Tests/AppHarness) is built with the
/// portable core only, so it cannot run the gateway's code; its proof message is kept as hex in ProofFixture.cs. This
/// test makes the same message with the gateway-side code (<see cref="ProofBlocks"/>: the chain's headers and state
/// leaves, the consensus project's certificate) and fails when the fixture is not exactly that.
/// </summary>
public sealed class Esp32ProofFixtureTests
{
    /// <summary>What the harness's meter queues as sequence 1: interval FirstInterval, registers 1000/10/500 (ProofBlocks' sequence 1).</summary>
    public static (string Validators, string Message) Expected()
    {
        using var set = new Validators(4, 1);
        var blocks = new ProofBlocks(set);
        string validators = string.Join(",", Enumerable.Range(0, set.Count).Select(i => Convert.ToHexStringLower(set[i].PublicKey) + $"@gw{i}.maple.example:7400"));
        byte[] message = blocks.Message(blocks.Block(5, [1], lastSequence: 1, balance: -1234), withReading: false);
        return (validators, Convert.ToHexStringLower(message));
    }

    [Fact]
    public void The_esp32_harness_proof_fixture_is_what_the_gateway_code_builds()
    {
        string text = File.ReadAllText(FixturePath());
        (string validators, string message) = Expected();
        Assert.Equal(validators, Constant(text, "Validators"));
        Assert.Equal(message, Constant(text, "Message"));
        Assert.Equal(Convert.ToHexStringLower(new ProofBlocks(new Validators(1, 1)).MeterSeed), Constant(text, "MeterSeed"));
    }

    private static string Constant(string text, string name)
    {
        Match match = Regex.Match(text, "const string " + name + @" =\s*""([^""]*)""");
        Assert.True(match.Success, "ProofFixture.cs has no const string " + name);
        return match.Groups[1].Value;
    }

    private static string FixturePath()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, "tests", "firmware", "CommunityGrid.Meter.Esp32.Tests", "AppHarness", "ProofFixture.cs");
            if (File.Exists(candidate)) return candidate;
        }
        throw new FileNotFoundException("AppHarness/ProofFixture.cs not found above " + AppContext.BaseDirectory);
    }
}
