using CommunityGrid.Peering.Gossip;

namespace CommunityGrid.Peering.Tests.Gossip;

public sealed class SeenSetTests
{
    [Fact]
    public void A_message_is_new_once()
    {
        var seen = new SeenSet(10);
        Assert.True(seen.Add([1, 2, 3]));
        Assert.False(seen.Add([1, 2, 3]));
        Assert.True(seen.Add([1, 2, 4]));
    }

    [Fact]
    public void The_set_keeps_only_the_newest_entries_up_to_its_capacity()
    {
        var seen = new SeenSet(100);
        for (int i = 0; i < 1000; i++)
        {
            seen.Add(System.BitConverter.GetBytes(i));
        }
        Assert.Equal(100, seen.Count);
        Assert.False(seen.Add(System.BitConverter.GetBytes(999)));
        Assert.True(seen.Add(System.BitConverter.GetBytes(0)));
    }
}
