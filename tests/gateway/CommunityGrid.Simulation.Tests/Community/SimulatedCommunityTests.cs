using System.Linq;
using CommunityGrid.Chain.Genesis;
using CommunityGrid.Simulation.Community;

namespace CommunityGrid.Simulation.Tests.Community;

public class SimulatedCommunityTests
{
    private static SimulatedCommunity Build(long seed = 42, int houses = 20, double pvShare = 0.8) =>
        SimulatedCommunity.Build(new CommunityOptions { Houses = houses, Seed = seed, PvShare = pvShare }, 1_780_272_000_000);

    [Fact]
    public void SameSeedSameGenesisAndEnrolments()
    {
        SimulatedCommunity a = Build(), b = Build();
        Assert.Equal(GenesisCanonical.Hash(a.Genesis), GenesisCanonical.Hash(b.Genesis));
        Assert.Equal(a.EnrolmentTransactions(), b.EnrolmentTransactions());
        Assert.NotEqual(GenesisCanonical.Hash(a.Genesis), GenesisCanonical.Hash(Build(seed: 43).Genesis));
    }

    [Fact]
    public void HousesAreNumberedAndThePvShareIsHonoured()
    {
        SimulatedCommunity c = Build(houses: 20, pvShare: 0.8);
        Assert.Equal(Enumerable.Range(1, 20).Select(i => $"h{i:D3}"), c.Houses.Select(h => h.HouseId));
        Assert.Equal(16, c.Houses.Count(h => h.PvMeter is not null));
        Assert.All(c.Houses, h => Assert.Equal(h.PvMeter is not null, h.Traits.HasPv));
        Assert.Equal(36, c.EnrolmentTransactions().Count);
    }

    [Fact]
    public void KeysAreSha256OfSeedOwnerAndRole()
    {
        byte[] expected = System.Security.Cryptography.SHA256.HashData([0, 0, 0, 0, 0, 0, 0, 42, .. "h001"u8, 0, .. "member"u8]);
        Assert.Equal(expected, DerivedKeys.Seed(42, "h001", "member"));
        Assert.NotEqual(DerivedKeys.Seed(42, "h001", "meter-grid"), DerivedKeys.Seed(42, "h001", "meter-pv"));
    }
}
