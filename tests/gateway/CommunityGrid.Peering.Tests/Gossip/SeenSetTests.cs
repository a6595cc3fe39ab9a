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

    [Fact]
    public void A_peer_is_claimed_for_a_message_once_and_the_marks_are_forgotten_with_the_message()
    {
        var seen = new SeenSet(1);
        Assert.Equal(0b0110UL, seen.Claim([1, 2, 3], 0b0110, out bool isNew));
        Assert.True(isNew);
        Assert.Equal(0b1000UL, seen.Claim([1, 2, 3], 0b1110, out isNew));
        Assert.False(isNew);
        Assert.Equal(0UL, seen.Claim([1, 2, 3], 0b1010, out _));
        Assert.False(seen.Add([1, 2, 3]));

        Assert.Equal(0b0001UL, seen.Claim([9], 0b0001, out isNew));
        Assert.True(isNew);
        // Capacity 1: [1, 2, 3] was forgotten, marks and all.
        Assert.Equal(0b0110UL, seen.Claim([1, 2, 3], 0b0110, out isNew));
        Assert.True(isNew);
    }
}
