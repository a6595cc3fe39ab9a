using CommunityGrid.Chain.Encoding;
using CommunityGrid.Chain.State;
using CommunityGrid.Chain.Tests.Support;

namespace CommunityGrid.Chain.Tests.State;

/// <summary>
/// The chain id and parameters are decoded once per thread while their bytes stay the same (issue 18); a change of the
/// entry, as a governance effect makes, must show at the next read.
/// </summary>
public sealed class StateViewDecodingTests
{
    private static byte[] Encoded(ChainParameters parameters)
    {
        System.Formats.Cbor.CborWriter writer = Cbor.Writer();
        parameters.Write(writer);
        return writer.Encode();
    }

    [Fact]
    public void Changed_parameters_are_read_as_changed_and_unchanged_ones_as_before()
    {
        using var c = new TestCommunity();
        var view = new StateView(new StateOverlay(c.State.Entries));
        ChainParameters genesis = view.Parameters;
        Assert.Same(genesis, view.Parameters);

        view.Overlay.Set(StateKeys.Parameters, Encoded(genesis with { RetailPrice = genesis.RetailPrice + 7 }));
        Assert.Equal(genesis.RetailPrice + 7, view.Parameters.RetailPrice);

        // Another view of the committed state: the genesis values again, not the last decoded ones.
        var committed = new StateView(new StateOverlay(c.State.Entries));
        Assert.Equal(genesis, committed.Parameters);
    }

    [Fact]
    public void Bytes_changed_in_place_after_a_read_are_decoded_again()
    {
        using var c = new TestCommunity();
        var view = new StateView(new StateOverlay(c.State.Entries));
        byte[] bytes = Encoded(view.Parameters with { MaxConnectionPowerW = 1000 });
        view.Overlay.Set(StateKeys.Parameters, bytes);
        Assert.Equal(1000, view.Parameters.MaxConnectionPowerW);

        byte[] other = Encoded(view.Parameters with { MaxConnectionPowerW = 2000 });
        Assert.Equal(bytes.Length, other.Length);
        other.CopyTo(bytes, 0);
        Assert.Equal(2000, view.Parameters.MaxConnectionPowerW);
    }
}
