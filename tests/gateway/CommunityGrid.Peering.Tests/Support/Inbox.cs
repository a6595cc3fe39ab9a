using System;
using System.Collections.Concurrent;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;

namespace CommunityGrid.Peering.Tests.Support;

/// <summary>Reads a network's received messages in the background into a list the test can look at.</summary>
internal sealed class Inbox : IAsyncDisposable
{
    private readonly CancellationTokenSource stop = new();
    private readonly Task reading;

    public ConcurrentQueue<PeerMessage> Messages { get; } = new();

    public Inbox(IPeerNetwork network, Action<PeerMessage>? onMessage = null)
    {
        reading = Task.Run(async () =>
        {
            try
            {
                await foreach (PeerMessage message in network.ReceiveAllAsync(stop.Token))
                {
                    onMessage?.Invoke(message);
                    Messages.Enqueue(message);
                }
            }
            catch (OperationCanceledException)
            {
                // The test is done.
            }
        });
    }

    public int Count(byte channel) => Messages.Count(message => message.Channel == channel);

    public async ValueTask DisposeAsync()
    {
        stop.Cancel();
        await reading.WaitAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        stop.Dispose();
    }
}
