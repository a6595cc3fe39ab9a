using System;
using System.Threading;
using System.Threading.Tasks;
using CommunityGrid.Node.Acks;
using CommunityGrid.Node.Display;
using CommunityGrid.Node.Proofs;

namespace CommunityGrid.Node.Ingest;

/// <summary>
/// The node's MQTT side: takes readings in (handing them to <see cref="ReadingIntake"/>) and sends acks, display data and proofs out.
/// </summary>
public interface IMeterLink : IAckPublisher, IDisplayPublisher, IProofPublisher, IAsyncDisposable
{
    /// <summary>For logs: where meters connect.</summary>
    string Description { get; }

    Task StartAsync(CancellationToken cancellationToken);
}
