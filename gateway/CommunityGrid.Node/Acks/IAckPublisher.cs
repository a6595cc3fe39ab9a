using System.Threading;
using System.Threading.Tasks;

namespace CommunityGrid.Node.Acks;

/// <summary>Delivers a signed ack to a meter's ack topic (through the embedded broker or an external one).</summary>
public interface IAckPublisher
{
    /// <summary>Best effort: a lost ack only means the meter resends and gets an "already committed" ack later.</summary>
    Task PublishAckAsync(string meterId, byte[] signedAck, CancellationToken cancellationToken);

    /// <summary>
    /// Whether a status 0/1 ack (committed, already committed) for <paramref name="meterId"/> may release anything on a
    /// session it would reach now. False only when the publisher knows that every session of the meter that would get
    /// the ack also takes the meter's proofs (a light client, docs/protocol.md §7.7: it releases nothing on such an
    /// ack), or that no session would get it at all (acks are not retained). When in doubt: true.
    /// </summary>
    ValueTask<bool> MeterTakesReleaseAcksAsync(string meterId, CancellationToken cancellationToken);
}
