using System;
using System.Threading;
using System.Threading.Tasks;

namespace CommunityGrid.Node.Display;

/// <summary>Puts a signed display message on a meter's display topic (through the embedded broker or an external one).</summary>
public interface IDisplayPublisher
{
    /// <summary>Retained, QoS 1 (<see cref="DisplayMessage.Retained"/>); throws when the broker did not take it.</summary>
    Task PublishDisplayAsync(string meterId, byte[] signedDisplay, CancellationToken cancellationToken);

    /// <summary>
    /// Whether display data for <paramref name="meterId"/> may be shown by anyone who gets it. False only when the
    /// publisher knows the meter has sessions and every one of them takes the meter's proofs (a light client, docs/protocol.md
    /// §7.6: it has its price and balance proved). Display data is retained, so a meter without any session yet may
    /// still subscribe as a meter that needs it: true. When in doubt: true.
    /// </summary>
    ValueTask<bool> MeterTakesDisplayDataAsync(string meterId, CancellationToken cancellationToken);

    /// <summary>
    /// Raised with a meter id after anything that could turn <see cref="MeterTakesDisplayDataAsync"/>'s false for that meter
    /// into true (a login, a subscription or unsubscription, a session ended), so a caller may keep a false until then
    /// instead of asking after every block. A publisher whose answer is always true never raises it.
    /// </summary>
    event Action<string>? DisplayNeedMayHaveChanged;
}
