using CommunityGrid.Cli.Commands.Simulate;

namespace CommunityGrid.Cli.Tests.Simulate;

/// <summary><c>cgrid simulate</c> turns the thread pool's idle spinning off unless the operator configured it.</summary>
public class ThreadPoolSpinningTests
{
    [Fact]
    public void NothingConfiguredTurnsSpinningOff() => Assert.Equal(0, ThreadPoolSpinning.SpinLimitToSet(null, null));

    [Fact]
    public void ARuntimeconfigSettingWins() => Assert.Null(ThreadPoolSpinning.SpinLimitToSet("70", null));

    [Fact]
    public void AnEnvironmentVariableWins() => Assert.Null(ThreadPoolSpinning.SpinLimitToSet(null, "70"));
}
