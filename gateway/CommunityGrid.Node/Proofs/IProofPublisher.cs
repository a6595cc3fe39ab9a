using System.Threading;
using System.Threading.Tasks;

namespace CommunityGrid.Node.Proofs;

/// <summary>Puts a proof message on a meter's proofs topic (through the embedded broker or an external one).</summary>
public interface IProofPublisher
{
    /// <summary>Retained, QoS 1 (<see cref="ProofSender.Retained"/>); throws when the broker did not take it.</summary>
    Task PublishProofAsync(string meterId, byte[] proofMessage, CancellationToken cancellationToken);
}
