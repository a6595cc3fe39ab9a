using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Threading;
using System.Threading.Tasks;
using CommunityGrid.Node.Publishing;

namespace CommunityGrid.Node.Tests.Publishing;

/// <summary>
/// The publish timeout of <see cref="RetainedTopicPump.PublishAsync"/>: each message gets the whole timeout from its own
/// start, however long the messages before it in the round took; one that takes longer is cancelled, and the message after
/// it is not; stopping the pump cancels the message in flight.
/// </summary>
public sealed class RetainedTopicPumpTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(1);

    [Fact]
    public async Task Each_message_gets_the_timeout_from_its_own_start_and_a_late_one_does_not_cancel_the_next()
    {
        var outcomes = new List<string>();
        var roundDone = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        RetainedTopicPump? pump = null;
        pump = new RetainedTopicPump(async _ =>
        {
            // Three messages of 400 ms each: 1.2 s in all, each within the 1 s it gets from its own start.
            for (int i = 0; i < 3; i++) outcomes.Add(await OutcomeAsync(pump!, TimeSpan.FromMilliseconds(400)));
            // One that would take 30 s is cancelled at about 1 s; the next one still has its whole timeout.
            var late = Stopwatch.StartNew();
            outcomes.Add(await OutcomeAsync(pump!, TimeSpan.FromSeconds(30)) + $" after {late.ElapsedMilliseconds} ms");
            outcomes.Add(await OutcomeAsync(pump!, TimeSpan.FromMilliseconds(400)));
            roundDone.TrySetResult();
            return 0;
        }, () => { }, Timeout);
        pump.Start();
        pump.Wake();
        await roundDone.Task.WaitAsync(TimeSpan.FromSeconds(30));
        await pump.DisposeAsync();

        Assert.Equal(["published", "published", "published"], outcomes[..3]);
        Assert.StartsWith("cancelled after ", outcomes[3]);
        long lateMs = long.Parse(outcomes[3].Split(' ')[2], System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(lateMs, 900, 10_000);
        Assert.Equal("published", outcomes[4]);
    }

    [Fact]
    public async Task Stopping_the_pump_cancels_the_message_in_flight()
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var outcome = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        RetainedTopicPump? pump = null;
        pump = new RetainedTopicPump(async _ =>
        {
            Task<string> publishing = OutcomeAsync(pump!, TimeSpan.FromSeconds(30), started);
            outcome.TrySetResult(await publishing);
            return 0;
        }, () => { });
        pump.Start();
        pump.Wake();
        await started.Task.WaitAsync(TimeSpan.FromSeconds(10));
        var stopping = Stopwatch.StartNew();
        await pump.DisposeAsync();
        Assert.Equal("cancelled", await outcome.Task.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.True(stopping.Elapsed < TimeSpan.FromSeconds(10), $"stopping took {stopping.Elapsed}");
    }

    /// <summary>Publishes one message that takes <paramref name="takes"/> unless its token is cancelled first.</summary>
    private static async Task<string> OutcomeAsync(RetainedTopicPump pump, TimeSpan takes, TaskCompletionSource? started = null)
    {
        try
        {
            await pump.PublishAsync(async token =>
            {
                started?.TrySetResult();
                await Task.Delay(takes, token);
            });
            return "published";
        }
        catch (OperationCanceledException)
        {
            return "cancelled";
        }
    }
}
