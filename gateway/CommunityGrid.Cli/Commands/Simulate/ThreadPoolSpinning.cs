using System;

namespace CommunityGrid.Cli.Commands.Simulate;

/// <summary>
/// Turns off the idle spinning of the .NET thread pool's workers for the <c>simulate</c> process. A simulated meter
/// publishes one QoS 1 reading and waits for its PUBACK before the next goes out (the gateway's mempool keeps arrival
/// order, so the chain is the same every run only if the readings arrive one by one, in meter order): 17 280 round
/// trips a 100-house day, each passing the work between threads (client, socket engine, broker, intake), after each of
/// which a worker that ran out of work spun on the other core before sleeping. That spinning was about a tenth of the
/// process's CPU (perf: <c>LowLevelSpinWaiter</c>, <c>sched_yield</c>; docs/simulation.md, Performance). Without it a
/// worker sleeps at once and is woken by the kernel when work comes: same work, same order, same output.
/// </summary>
/// <remarks>
/// The runtime reads <c>System.Threading.ThreadPool.UnfairSemaphoreSpinLimit</c> once, when the first worker thread
/// starts, so this must run before anything queues work to the pool; later it changes nothing (only costs the spinning
/// again). The <c>DOTNET_ThreadPool_UnfairSemaphoreSpinLimit</c> environment variable gives the same for any process.
/// Set here and not in cgrid's runtimeconfig, so the gateway and every other command keep the runtime's default.
/// </remarks>
public static class ThreadPoolSpinning
{
    public const string SpinLimitSetting = "System.Threading.ThreadPool.UnfairSemaphoreSpinLimit";
    public const string SpinLimitVariable = "DOTNET_ThreadPool_UnfairSemaphoreSpinLimit";

    public static void TurnOff()
    {
        if (SpinLimitToSet(AppContext.GetData(SpinLimitSetting), Environment.GetEnvironmentVariable(SpinLimitVariable)) is { } limit)
        {
            AppContext.SetData(SpinLimitSetting, limit);
        }
    }

    /// <summary>The spin limit to set: none when an operator configured one (runtimeconfig or environment), which wins; else 0.</summary>
    public static int? SpinLimitToSet(object? configured, string? environment) =>
        configured is null && environment is null ? 0 : null;
}
