using System.Threading;
using System.Threading.Tasks;

namespace CommunityGrid.Node.Acks;

/// <summary>Delivers a signed ack to a meter's ack topic (through the embedded broker or an external one).</summary>
public interface IAckPublisher
{
    /// <summary>Best effort: a lost ack only means the meter resends and gets an "already committed" ack later.</summary>
    Task PublishAckAsync(string meterId, byte[] signedAck, CancellationToken cancellationToken);
}
