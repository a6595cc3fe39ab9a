using System;
using System.Collections.Generic;
using CommunityGrid.Consensus.Tests.Support.Simulation;
using Xunit.Abstractions;

namespace CommunityGrid.Consensus.Tests.Simulation;

/// <summary>Each Byzantine behaviour on its own, at the largest count the set tolerates (f), over several seeds.</summary>
public class ByzantineScheduleTests(ITestOutputHelper output)
{
    private const int SeedsPerCase = 8;

    [Theory]
    [InlineData(NodeRole.Equivocator, 4)]
    [InlineData(NodeRole.Equivocator, 7)]
    [InlineData(NodeRole.Twin, 4)]
    [InlineData(NodeRole.Twin, 7)]
    [InlineData(NodeRole.WrongTime, 4)]
    [InlineData(NodeRole.WrongTime, 7)]
    [InlineData(NodeRole.Withholder, 4)]
    [InlineData(NodeRole.Withholder, 7)]
    public void f_faulty_validators_of_one_kind_break_no_invariant(NodeRole role, int validators)
    {
        int f = (validators - 1) / 3;
        long heights = 0;
        int evidence = 0;
        for (ulong seed = 1; seed <= SeedsPerCase; seed++)
        {
            SimulationResult result = new ClusterSimulator(Scenario.Targeted(seed * 7919, validators, role, f)).Run();
            heights += result.Heights;
            evidence += result.EvidenceReports;
        }
        output.WriteLine($"{role} x{f} of {validators}: {heights} heights, {evidence} evidence reports over {SeedsPerCase} seeds");
        Assert.True(heights >= SeedsPerCase * 4);
        if (role is NodeRole.Equivocator or NodeRole.Twin) Assert.True(evidence > 0, "equivocation went undetected");
        else Assert.Equal(0, evidence);
    }

    [Fact]
    public void The_checker_catches_a_double_sign_when_twins_are_held_to_the_honest_invariants()
    {
        var caught = new List<string>();
        for (ulong seed = 1; seed <= 10 && caught.Count == 0; seed++)
        {
            Scenario twins = Scenario.Targeted(seed, 4, NodeRole.Twin, 1);
            var held = new Scenario
            {
                Seed = twins.Seed, Validators = 4, Roles = twins.Roles, GstMs = twins.GstMs, DropPermille = twins.DropPermille,
                DuplicatePermille = twins.DuplicatePermille, MaxDelayMs = twins.MaxDelayMs, Partitions = true, TwinsCountAsHonest = true,
            };
            try
            {
                new ClusterSimulator(held).Run();
            }
            catch (InvariantViolationException e)
            {
                caught.Add(e.Message);
            }
        }
        Assert.NotEmpty(caught);
        Assert.Contains("replay:", caught[0]);
        Assert.True(caught[0].Contains("signed two different messages", StringComparison.Ordinal) || caught[0].Contains("evidence of double signing against honest", StringComparison.Ordinal), caught[0]);
    }

    [Fact]
    public void A_seed_replays_exactly()
    {
        Scenario scenario = Scenario.FromSeed(7);
        SimulationResult first = new ClusterSimulator(scenario).Run();
        SimulationResult again = new ClusterSimulator(Scenario.FromSeed(7)).Run();
        Assert.Equal(first.Fingerprint, again.Fingerprint);
        Assert.Equal((first.Heights, first.VirtualMs, first.EvidenceReports), (again.Heights, again.VirtualMs, again.EvidenceReports));
        Assert.NotEqual(first.Fingerprint, new ClusterSimulator(Scenario.FromSeed(8)).Run().Fingerprint);
    }
}
