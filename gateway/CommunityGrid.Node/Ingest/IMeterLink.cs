using System;
using System.Threading;
using System.Threading.Tasks;
using CommunityGrid.Node.Acks;
using CommunityGrid.Node.Display;

namespace CommunityGrid.Node.Ingest;

/// <summary>
/// The node's MQTT side: takes readings in (handing them to <see cref="ReadingIntake"/>) and sends acks and display data out.
/// </summary>
public interface IMeterLink : IAckPublisher, IDisplayPublisher, IAsyncDisposable
{
    /// <summary>For logs: where meters connect.</summary>
    string Description { get; }

    Task StartAsync(CancellationToken cancellationToken);
}
