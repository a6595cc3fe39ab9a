using System.Threading;
using System.Threading.Tasks;

namespace CommunityGrid.Node.Display;

/// <summary>Puts a signed display message on a meter's display topic (through the embedded broker or an external one).</summary>
public interface IDisplayPublisher
{
    /// <summary>Retained, QoS 1 (<see cref="DisplayMessage.Retained"/>); throws when the broker did not take it.</summary>
    Task PublishDisplayAsync(string meterId, byte[] signedDisplay, CancellationToken cancellationToken);
}
