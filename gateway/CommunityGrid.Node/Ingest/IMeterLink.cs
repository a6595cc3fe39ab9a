using System;
using System.Threading;
using System.Threading.Tasks;
using CommunityGrid.Node.Acks;

namespace CommunityGrid.Node.Ingest;

/// <summary>The node's MQTT side: takes readings in (handing them to <see cref="ReadingIntake"/>) and sends acks out.</summary>
public interface IMeterLink : IAckPublisher, IAsyncDisposable
{
    /// <summary>For logs: where meters connect.</summary>
    string Description { get; }

    Task StartAsync(CancellationToken cancellationToken);
}
