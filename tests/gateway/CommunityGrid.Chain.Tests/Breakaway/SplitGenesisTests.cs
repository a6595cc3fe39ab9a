using System.Collections.Generic;
using System.Linq;
using CommunityGrid.Chain.Blocks;
using CommunityGrid.Chain.Breakaway;
using CommunityGrid.Chain.Encoding;
using CommunityGrid.Chain.Genesis;
using CommunityGrid.Chain.State;
using CommunityGrid.Chain.Tests.Support;
using CommunityGrid.Chain.Validation;
using CommunityGrid.Formats.Signing;
using static CommunityGrid.Chain.Tests.Support.ExitSigning;

namespace CommunityGrid.Chain.Tests.Breakaway;

/// <summary>
/// h2 and h3 leave the three-house test community from interval 2 and start "new-grid" from the exit records: every Wh
/// of their meters settles exactly once, on the old chain up to interval 1 and on the new one from interval 2.
/// </summary>
public sealed class SplitGenesisTests
{
    private sealed class Split : System.IDisposable
    {
        public required TestCommunity Old { get; init; }
        public required GenesisDocument Genesis { get; init; }
        public required ChainState New { get; init; }
        public required Ed25519Signer NewValidator { get; init; }
        public List<Block> NewBlocks { get; } = [];

        public void Produce(long timeMs, params byte[][] txs)
        {
            Produced produced = BlockProducer.Produce(New, txs, timeMs, NewValidator);
            foreach (MempoolOutcome o in produced.Outcomes) Assert.True(o.Outcome.Status == TxStatus.Applied, $"candidate {o.Index}: {o.Outcome}");
            New.ApplyBlock(produced.Block!);
            NewBlocks.Add(produced.Block!);
        }

        public void Dispose() => Old.Dispose();
    }

    private static Split Run()
    {
        var c = new TestCommunity(exitFundSharePermille: 300).WithMeters();
        c.Produce(TestCommunity.At(2), c.EnrolTx("pv3", "h3", CommunityGrid.Chain.Transactions.MeterRole.Pv));
        c.Produce(TestCommunity.At(10), c.ExitTx(2, 2), c.ExitTx(3, 2));
        c.Produce(TestCommunity.EndOf(0), c.ReadingTx("m1", 1, 0, 1000, 0), c.ReadingTx("m2", 1, 0, 0, 3000), c.ReadingTx("m3", 1, 0, 200, 2000),
            c.ReadingTx("pv3", 1, 0, 0, 0, pv: 2400));
        c.Produce(TestCommunity.CloseOf(0));
        // m2 misses interval 1: its energy of that interval is carried by its next reading, on the new chain.
        c.Produce(TestCommunity.EndOf(1), c.ReadingTx("m1", 2, 1, 2000, 0), c.ReadingTx("m3", 2, 1, 250, 2500));
        Block exitBlock = c.Produce(TestCommunity.CloseOf(1));
        ExitGroup group = ExitGroup.Find(c.State.Entries, NewChain, out string? problem) ?? throw new Xunit.Sdk.XunitException(problem);
        Ed25519Signer validator = c.Key(90);
        GenesisDocument genesis = SplitGenesis.Build(group, c.State.View().Parameters, TestCommunity.ChainId, exitBlock.Header, "New Street",
            [Hashes.Hex(c.Key(91).PublicKey)], [Hashes.Hex(c.Key(92).PublicKey)], [new GenesisValidator(Hashes.Hex(validator.PublicKey), "127.0.0.1:7002")]);
        return new Split { Old = c, Genesis = genesis, New = ChainState.FromGenesis(genesis), NewValidator = validator };
    }

    [Fact]
    public void The_new_genesis_holds_the_leavers_their_meters_at_their_last_registers_and_nothing_else()
    {
        using Split s = Run();
        GenesisDocument g = s.Genesis;
        Assert.Equal(NewChain, g.ChainId);
        Assert.Equal(["h2", "h3"], g.Members.Select(m => m.HouseId));
        Assert.Equal(Hashes.Hex(s.Old.Members[2].PublicKey), g.Members[1].PublicKey);
        Assert.Equal(["m2", "m3", "pv3"], g.Meters!.Select(m => m.MeterId));
        Assert.Equal(new GenesisMeter("m3", "h3", Hashes.Hex(s.Old.Meters["m3"].PublicKey), 1, 250, 2500, 0), g.Meters![1]);
        Assert.Equal(2400, g.Meters![2].PvWh);
        Assert.Equal(TestCommunity.IntervalStart(2) * 1000, g.GenesisTimeMs);
        Assert.Equal(TestCommunity.ChainId, g.Parent!.ChainId);
        Assert.Equal(s.Old.State.Height, g.Parent.Height);
        Assert.Equal(Hashes.Hex(s.Old.State.TipHash), g.Parent.HeaderHash);
        Assert.Equal(300, g.ExitFundSharePermille);
        StateView view = s.New.View();
        Assert.Equal(TestCommunity.IntervalStart(2), view.NextInterval);
        Assert.Equal(0, view.Balance("h2"));
        Assert.Equal(0, view.Fund);
        Assert.Empty(SplitGenesis.FindProblems(g, TestCommunity.ChainId, s.Old.State.Entries, s.Old.Blocks[^1].Header, [TestCommunity.IntervalStart(1)]));
        // The split genesis survives its JSON file with the same hash.
        Assert.Equal(GenesisCanonical.Hash(g), GenesisCanonical.Hash(GenesisFile.Parse(GenesisFile.ToJson(g))));
    }

    [Fact]
    public void Every_Wh_is_settled_exactly_once_across_the_split()
    {
        using Split s = Run();
        // The meters continue on the new chain: same keys, sequences going on, registers going on.
        s.Produce(TestCommunity.EndOf(2), s.Old.ReadingTx("m2", 2, 2, 10, 3400, chainId: NewChain), s.Old.ReadingTx("m3", 3, 2, 300, 2600, chainId: NewChain));
        s.Produce(TestCommunity.CloseOf(2));
        s.Produce(TestCommunity.EndOf(3), s.Old.ReadingTx("m3", 4, 3, 330, 3000, chainId: NewChain));
        s.Produce(TestCommunity.CloseOf(3));

        Dictionary<string, (long Import, long Export)> old = Settled(s.Old.Blocks), fresh = Settled(s.NewBlocks);
        Assert.Equal((0L, 3000L), old["h2"]);
        Assert.Equal((10L, 400L), fresh["h2"]);
        Assert.Equal((250L, 2500L), old["h3"]);
        Assert.Equal((80L, 500L), fresh["h3"]);
        // Old plus new equals each meter's last register minus its initial one (all enrolled at zero).
        Assert.Equal((10L, 3400L), (old["h2"].Import + fresh["h2"].Import, old["h2"].Export + fresh["h2"].Export));
        Assert.Equal((330L, 3000L), (old["h3"].Import + fresh["h3"].Import, old["h3"].Export + fresh["h3"].Export));
        Assert.DoesNotContain("h1", fresh.Keys);
        Assert.Equal(0, s.NewBlocks.SelectMany(b => b.Body.Settlements).Count(r => r.IntervalStart < TestCommunity.IntervalStart(2)));
    }

    [Fact]
    public void Money_before_the_exit_equals_the_old_community_and_the_leavers_positions_after_it()
    {
        var c = new TestCommunity(exitFundSharePermille: 300).WithMeters();
        using (c)
        {
            c.Produce(TestCommunity.At(10), c.ExitTx(2, 2), c.ExitTx(3, 2), c.PaymentTx("h2", CommunityGrid.Chain.Transactions.PaymentKind.Deposit, 700));
            c.Produce(TestCommunity.EndOf(0), c.ReadingTx("m1", 1, 0, 1000, 0), c.ReadingTx("m2", 1, 0, 0, 3000), c.ReadingTx("m3", 1, 0, 200, 2000));
            c.Produce(TestCommunity.CloseOf(0));
            long before = ExitTests.Total(c, ["h1", "h2", "h3"]);
            c.Produce(TestCommunity.CloseOf(1));
            Assert.True(c.Exit("h2")!.FundShare > 0);
            Assert.Equal(before, ExitTests.Total(c, ["h1"]) + c.Exit("h2")!.Owed + c.Exit("h3")!.Owed);
        }
    }

    [Fact]
    public void A_reading_of_one_chain_never_counts_on_the_other()
    {
        using Split s = Run();
        byte[] onNew = s.Old.ReadingTx("m3", 3, 2, 300, 2600, chainId: NewChain);
        Assert.Equal(RejectionReason.WrongChain, s.Old.Try(onNew, TestCommunity.EndOf(2)).Reason);
        Assert.Equal(RejectionReason.MeterRetired, s.Old.Try(s.Old.ReadingTx("m3", 3, 2, 300, 2600), TestCommunity.EndOf(2)).Reason);
        byte[] onOld = s.Old.ReadingTx("m3", 3, 2, 300, 2600);
        Produced produced = BlockProducer.Produce(s.New, [onOld], TestCommunity.EndOf(2), s.NewValidator);
        Assert.Equal(RejectionReason.WrongChain, Assert.Single(produced.Outcomes).Outcome.Reason);
    }

    [Fact]
    public void A_split_genesis_whose_parent_link_members_or_meters_do_not_match_is_refused()
    {
        using Split s = Run();
        BlockHeader exitHeader = s.Old.Blocks[^1].Header;
        List<string> Problems(GenesisDocument g, BlockHeader? header = null, long? closed = null) =>
            SplitGenesis.FindProblems(g, TestCommunity.ChainId, s.Old.State.Entries, header ?? exitHeader, [closed ?? TestCommunity.IntervalStart(1)]);

        GenesisDocument g = s.Genesis;
        var moreEnergy = g with { Meters = [g.Meters![0], g.Meters[1] with { ExportWh = 2400 }, g.Meters[2]] };
        Assert.Contains(Problems(moreEnergy), p => p.Contains("meter 'm3' differs"));
        var missingMeter = g with { Meters = [g.Meters![0], g.Meters[1]] };
        Assert.Contains(Problems(missingMeter), p => p.Contains("meter 'pv3' of house 'h3' is missing"));
        var extraMember = g with { Members = [.. g.Members, new GenesisMember("h1", Hashes.Hex(s.Old.Members[0].PublicKey))] };
        Assert.Contains(Problems(extraMember), p => p.Contains("house 'h1' is a member in the genesis but has no exit record"));
        var wrongHash = g with { Parent = g.Parent! with { HeaderHash = new string('0', 64) } };
        Assert.Contains(Problems(wrongHash), p => p.Contains("hashes to"));
        var wrongExits = g with { Parent = g.Parent! with { ExitsHash = new string('1', 64) } };
        Assert.Contains(Problems(wrongExits), p => p.Contains("exit records hash to"));
        var otherParent = g with { Parent = g.Parent! with { ChainId = "elsewhere" } };
        Assert.Contains(Problems(otherParent), p => p.Contains("the parent data holds chain"));
        Assert.Contains(Problems(g, s.Old.Blocks[^2].Header, TestCommunity.IntervalStart(0)), p => p.Contains("did not close interval"));
        Assert.Contains(Problems(g with { ChainId = "third-grid" }), p => p.Contains("no house has signed an exit to 'third-grid'"));
    }

    [Fact]
    public void Genesis_rules_hold_the_split_genesis_to_its_exit_interval()
    {
        using Split s = Run();
        var late = s.Genesis with { GenesisTimeMs = s.Genesis.GenesisTimeMs + 900_000 };
        Assert.Contains(GenesisRules.FindProblems(late), p => p.Contains("parent.exitIntervalStart"));
        var strayMeter = s.Genesis with { Meters = [.. s.Genesis.Meters!, s.Genesis.Meters![0] with { MeterId = "m9", HouseId = "h1" }] };
        IReadOnlyList<string> problems = GenesisRules.FindProblems(strayMeter);
        Assert.Contains(problems, p => p.Contains("house 'h1' is not a member"));
        Assert.Contains(problems, p => p.Contains("appears twice"));
    }

    private static Dictionary<string, (long Import, long Export)> Settled(IEnumerable<Block> blocks)
    {
        var totals = new Dictionary<string, (long, long)>(System.StringComparer.Ordinal);
        foreach (var h in blocks.SelectMany(b => b.Body.Settlements).SelectMany(r => r.Houses))
        {
            (long i, long e) = totals.GetValueOrDefault(h.HouseId);
            totals[h.HouseId] = (i + h.ImportWh, e + h.ExportWh);
        }
        return totals;
    }
}
