using System;
using CommunityGrid.Meter.Display;

namespace CommunityGrid.Meter.Tests.Display;

public class PageCyclerTests
{
    private static PageCycler ThreePages() =>
        new(new[] { LcdPage.PvPower, LcdPage.Price, LcdPage.Connectivity }, dwellMilliseconds: 1000, holdAfterButtonMilliseconds: 5000);

    [Fact]
    public void AdvancesEveryDwellAndWrapsAround()
    {
        PageCycler cycler = ThreePages();
        Assert.Equal(LcdPage.PvPower, cycler.Current);
        Assert.False(cycler.Tick(100));
        Assert.False(cycler.Tick(1099));
        Assert.True(cycler.Tick(1100));
        Assert.Equal(LcdPage.Price, cycler.Current);
        Assert.True(cycler.Tick(2100));
        Assert.True(cycler.Tick(3200));
        Assert.Equal(LcdPage.PvPower, cycler.Current);
    }

    [Fact]
    public void AButtonPressShowsTheNextPageAtOnceAndHoldsIt()
    {
        PageCycler cycler = ThreePages();
        cycler.Tick(0);
        cycler.ButtonPressed();
        Assert.Equal(LcdPage.Price, cycler.Current);
        Assert.False(cycler.Tick(900));
        Assert.False(cycler.Tick(5899));
        Assert.True(cycler.Tick(5900));
        Assert.Equal(LcdPage.Connectivity, cycler.Current);
        Assert.False(cycler.Tick(6899));
        Assert.True(cycler.Tick(6900));
    }

    [Fact]
    public void RepeatedPressesStepThroughPages()
    {
        PageCycler cycler = ThreePages();
        cycler.ButtonPressed();
        cycler.ButtonPressed();
        Assert.Equal(LcdPage.Connectivity, cycler.Current);
        cycler.ButtonPressed();
        Assert.Equal(LcdPage.PvPower, cycler.Current);
    }

    [Fact]
    public void AClockJumpingBackRestartsTheWaitInsteadOfStalling()
    {
        PageCycler cycler = ThreePages();
        cycler.Tick(50000);
        Assert.False(cycler.Tick(10));
        Assert.False(cycler.Tick(1009));
        Assert.True(cycler.Tick(1010));
    }

    [Fact]
    public void DefaultCycleCoversEveryPage()
    {
        PageCycler cycler = PageCycler.AllPages();
        var seen = new System.Collections.Generic.HashSet<LcdPage>();
        for (long t = 0; t < 7 * 5000 + 1; t += 100)
        {
            seen.Add(cycler.Current);
            cycler.Tick(t);
        }
        Assert.Equal(Enum.GetValues<LcdPage>().Length, seen.Count);
    }

    [Fact]
    public void RejectsAnEmptyPageList()
    {
        Assert.Throws<ArgumentException>(() => new PageCycler(new LcdPage[0], 1000, 1000));
        Assert.Throws<ArgumentOutOfRangeException>(() => new PageCycler(new[] { LcdPage.Price }, 0, 1000));
    }
}
