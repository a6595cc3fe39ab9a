using System;
using System.Linq;
using CommunityGrid.Gateway.Fuzz;

namespace CommunityGrid.Node.Tests.Fuzz;

/// <summary>
/// A short seeded round of the gateway decoder fuzzer (benchmarks/CommunityGrid.Gateway.Fuzz runs ≥ 1M inputs):
/// every decoder a meter or client can reach answers with its format exception, never another one.
/// </summary>
public sealed class GatewayDecoderFuzzTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void Twenty_thousand_generated_inputs_crash_no_gateway_decoder(int seed)
    {
        // The hang threshold is far above any real decoding time (microseconds) so a slow CI machine cannot trip it.
        FuzzReport report = new GatewayDecoderFuzzer(TimeSpan.FromSeconds(2)).Run(seed, 20_000);
        Assert.True(report.Crashes == 0 && report.Hangs == 0,
            $"{report.Crashes} crashes, {report.Hangs} hangs in {report.Inputs} inputs; first findings:\n{string.Join("\n", report.Findings.Take(5))}");
        // The generator reaches past the envelope: some inputs are well-formed, validly signed transactions.
        Assert.True(report.AcceptedTransactions > 0, "no generated input passed the screen; the fuzzer only exercises the first bytes");
    }
}
