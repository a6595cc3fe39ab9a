using System;
using System.Collections.Generic;

namespace CommunityGrid.Node.Ingest;

/// <summary>
/// Which meter an MQTT client id belongs to. MQTT gives a client id to whoever presents it last: a second connection
/// with the same id takes over the first's session and disconnects it (MQTT 5 §3.1.4). So a meter logged in with its
/// own credentials must not use an id that is another meter's (issue 11, case 2):
/// <list type="bullet">
/// <item><c>cgrid-meter-{X}</c> (the Linux meter's id, protocol.md §7.1) and the bare id <c>X</c> of an enrolled
/// meter (the ESP32 app's) belong to meter X, whether X is online or not;</item>
/// <item>any other id belongs to the meter whose session holds it, from its login until MQTTnet deletes the session.</item>
/// </list>
/// It also knows each meter's sessions: their number, which <see cref="BrokerLimits.MaxSessionsPerMeter"/> bounds, and
/// their client ids, through which the broker delivers the gateway's messages to the meter (<see cref="ClientIdsOf"/>).
/// </summary>
internal sealed class ClientIdOwnership(Func<string, bool> isEnrolled)
{
    public const string MeterClientIdPrefix = "cgrid-meter-";

    private readonly object gate = new();
    private readonly Dictionary<string, string> sessionOwner = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<string>> sessionsPerMeter = new(StringComparer.Ordinal);

    /// <summary>
    /// Claims <paramref name="clientId"/> for <paramref name="meterId"/>'s session, checking and recording in one step so
    /// two logins at once cannot both pass (MQTTnet reports a connection only after its CONNACK is sent).
    /// </summary>
    /// <param name="owner">With <see cref="ClientIdClaim.OwnedByAnother"/>: the meter the id belongs to.</param>
    public ClientIdClaim TryClaim(string clientId, string meterId, int maxSessionsPerMeter, out string? owner)
    {
        owner = ReservedOwner(clientId);
        lock (gate)
        {
            if (owner is null && sessionOwner.TryGetValue(clientId, out string? holder)) owner = holder;
            if (owner is not null && owner != meterId) return ClientIdClaim.OwnedByAnother;
            bool ownSession = sessionOwner.TryGetValue(clientId, out string? current) && current == meterId;
            sessionsPerMeter.TryGetValue(meterId, out List<string>? sessions);
            if (!ownSession && sessions is not null && sessions.Count >= maxSessionsPerMeter) return ClientIdClaim.TooManySessions;
            if (!ownSession)
            {
                sessionOwner[clientId] = meterId;
                if (sessions is null) sessionsPerMeter[meterId] = sessions = new List<string>(1);
                sessions.Add(clientId);
            }
            return ClientIdClaim.Claimed;
        }
    }

    /// <summary>The meter an id names by its form, whether that meter is online or not; null for a free-form id.</summary>
    private string? ReservedOwner(string clientId)
    {
        if (clientId.StartsWith(MeterClientIdPrefix, StringComparison.Ordinal) && clientId.Length > MeterClientIdPrefix.Length)
        {
            return clientId[MeterClientIdPrefix.Length..];
        }
        // Looked up outside the lock: it reads the chain state under the node's store lock.
        return isEnrolled(clientId) ? clientId : null;
    }

    /// <summary>MQTTnet deleted the session of <paramref name="clientId"/> (clean disconnect, or no persistence asked for).</summary>
    public void Release(string clientId)
    {
        lock (gate)
        {
            if (sessionOwner.Remove(clientId, out string? owner) && sessionsPerMeter.TryGetValue(owner, out List<string>? sessions))
            {
                sessions.Remove(clientId);
                if (sessions.Count == 0) sessionsPerMeter.Remove(owner);
            }
        }
    }

    /// <summary>The client ids of <paramref name="meterId"/>'s sessions (at most <see cref="BrokerLimits.MaxSessionsPerMeter"/>), a copy.</summary>
    public string[] ClientIdsOf(string meterId)
    {
        lock (gate)
        {
            return sessionsPerMeter.TryGetValue(meterId, out List<string>? sessions) ? sessions.ToArray() : [];
        }
    }
}

internal enum ClientIdClaim
{
    Claimed,
    OwnedByAnother,
    TooManySessions,
}
