using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Threading.Tasks;
using CommunityGrid.Consensus.Tests.Support.Simulation;
using Xunit.Abstractions;

namespace CommunityGrid.Consensus.Tests.Simulation;

public class ClusterSimulationTests(ITestOutputHelper output)
{
    /// <summary>CI: a few hundred schedules; the long run is `CGRID_CONSENSUS_SCHEDULES=10000` (see docs/consensus.md).</summary>
    [Fact]
    public void Seeded_schedules_keep_agreement_validity_no_double_sign_and_liveness()
    {
        int schedules = int.TryParse(Environment.GetEnvironmentVariable("CGRID_CONSENSUS_SCHEDULES"), out int n) ? n : 300;
        ulong first = ulong.TryParse(Environment.GetEnvironmentVariable("CGRID_CONSENSUS_FIRST_SEED"), out ulong f) ? f : 1;
        var watch = Stopwatch.StartNew();
        var results = new SimulationResult?[schedules];
        var failures = new string?[schedules];
        // Schedules are independent and each is deterministic on its own, so they may run in parallel.
        Parallel.For(0, schedules, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, i =>
        {
            try
            {
                results[i] = new ClusterSimulator(Scenario.FromSeed(first + (ulong)i)).Run();
            }
            catch (InvariantViolationException e)
            {
                failures[i] = e.Message;
            }
        });
        var violations = new List<string>();
        long commits = 0;
        int maxRound = 0, maxRoundAfterGst = 0, evidence = 0, crashes = 0;
        for (int i = 0; i < schedules; i++)
        {
            if (failures[i] is { } failure) violations.Add(failure);
            if (results[i] is not { } result) continue;
            commits += result.Heights;
            maxRound = Math.Max(maxRound, result.MaxRound);
            maxRoundAfterGst = Math.Max(maxRoundAfterGst, result.MaxRoundAfterGst);
            evidence += result.EvidenceReports;
            crashes += result.Crashes;
        }
        output.WriteLine($"{schedules} schedules from seed {first}: {commits} heights committed, max round {maxRound}, max round after GST {maxRoundAfterGst}, {evidence} evidence reports, {crashes} crashes, {violations.Count} violations, {watch.Elapsed.TotalSeconds:F1} s");
        Assert.True(violations.Count == 0, $"{violations.Count} of {schedules} schedules broke an invariant:\n\n" + string.Join("\n\n", violations.GetRange(0, Math.Min(5, violations.Count))));
    }

    [Fact]
    public void Replay()
    {
        ulong seed = ulong.TryParse(Environment.GetEnvironmentVariable("CGRID_CONSENSUS_SEED"), out ulong s) ? s : 42;
        Scenario scenario = Scenario.FromSeed(seed);
        output.WriteLine(scenario.Describe());
        SimulationResult result = new ClusterSimulator(scenario).Run();
        output.WriteLine($"{result.Heights} heights, max round {result.MaxRound}, {result.EvidenceReports} evidence, {result.Crashes} crashes, {result.VirtualMs} ms virtual");
        Assert.True(result.Heights > 0);
    }
}
