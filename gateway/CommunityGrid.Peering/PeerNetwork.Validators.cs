using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using CommunityGrid.Peering.Transport;
using Microsoft.Extensions.Logging;

namespace CommunityGrid.Peering;

/// <summary>Following the validator set: the host calls <see cref="UpdateValidators"/> when a change takes effect.</summary>
public sealed partial class PeerNetwork
{
    /// <summary>
    /// Replaces the validator set (chain.md: a change decided in block H takes effect at H+2; the host calls this
    /// then). Validators that left are disconnected and no longer accepted; new ones are dialed or awaited by the
    /// same lower-key rule; a validator whose address changed is dialed there from the next attempt, its current
    /// connection kept. This node's key need not be in the set: a node added by a vote it has not replayed yet, or
    /// voted out, follows the set without being in it (the validators accept it only while they list it).
    /// </summary>
    public void UpdateValidators(IEnumerable<PeerValidator> validators)
    {
        var next = new ValidatorDirectory(Self, validators);
        var left = new List<PeerSlot>();
        lock (gate)
        {
            directory = next;
            foreach (PeerSlot slot in slots.Values.Where(slot => !next.TryGet(slot.Validator.Key, out _)).ToArray())
            {
                slots.Remove(slot.Validator.Key);
                left.Add(slot);
            }
            foreach (PeerValidator validator in next.Peers)
            {
                if (slots.TryGetValue(validator.Key, out PeerSlot? known))
                {
                    known.Validator = validator;
                    continue;
                }
                PeerSlot added = AddSlot(validator);
                if (dialing && added.Dials)
                {
                    StartDialing(added);
                }
            }
        }
        foreach (PeerSlot slot in left)
        {
            slot.Removed.Cancel();
            inbox.Remove(slot.Incoming);
            slot.Connection?.Close("the validator left the validator set");
            logger.LogInformation("Validator {Peer} left the validator set", slot.Validator.Key.Short);
        }
    }

    /// <summary>Caller holds <c>gate</c> (or is the constructor).</summary>
    private PeerSlot AddSlot(PeerValidator validator)
    {
        var incoming = new ReceiveQueue(options.ReceiveQueueBytes, inbox);
        inbox.Add(incoming);
        var slot = new PeerSlot(validator, directory.DialsTo(validator.Key), incoming);
        slots.Add(validator.Key, slot);
        return slot;
    }

    /// <summary>Caller holds <c>gate</c>.</summary>
    private void StartDialing(PeerSlot slot)
    {
        lock (loops)
        {
            loops.Add(Task.Run(() => DialLoopAsync(slot)));
        }
    }
}
