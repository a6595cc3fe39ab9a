using System.Collections.Generic;
using CommunityGrid.Chain.State;

namespace CommunityGrid.Chain.Governance;

/// <summary>
/// Validator changes take effect two heights after the block that decides them (governance.md §6, consensus.md §1,
/// as in CometBFT): decided in block H, scheduled under <c>validator-next/</c> at the end of H, moved into
/// <c>validator/</c> at the end of H+1 (so header H+1's field 8 already names the new set), and the set of H+2 on
/// commits with it. The set that committed H+1 is kept under <c>validator-prior/</c> for one block, because block
/// H+2 carries H+1's commit. Runs at the end of every block, in production and verification alike.
/// </summary>
internal static class ValidatorSetChanges
{
    public static void Advance(StateView view)
    {
        // Only the validator updates this block wrote: the block's whole change set is computed once, for its state root.
        IReadOnlyList<StateChange> decidedHere = view.Overlay.ChangesWithPrefix(GovernanceKeys.ValidatorUpdatePrefix);
        foreach (KeyValuePair<string, byte[]> prior in view.WithPrefix(StateKeys.ValidatorPriorPrefix)) view.Overlay.Delete(prior.Key);
        List<KeyValuePair<string, byte[]>> scheduled = view.WithPrefix(StateKeys.ValidatorNextPrefix);
        if (scheduled.Count > 0) ApplyScheduled(view, scheduled);
        foreach (StateChange change in decidedHere)
        {
            if (change.Value is null || !change.Key.StartsWith(GovernanceKeys.ValidatorUpdatePrefix, System.StringComparison.Ordinal)) continue;
            view.Overlay.Set(StateKeys.ValidatorNextPrefix + change.Key[GovernanceKeys.ValidatorUpdatePrefix.Length..], change.Value);
        }
    }

    private static void ApplyScheduled(StateView view, List<KeyValuePair<string, byte[]>> scheduled)
    {
        List<KeyValuePair<string, byte[]>> current = view.WithPrefix(StateKeys.ValidatorPrefix);
        foreach (KeyValuePair<string, byte[]> validator in current)
        {
            view.Overlay.Set(StateKeys.ValidatorPriorPrefix + validator.Key[StateKeys.ValidatorPrefix.Length..], validator.Value);
        }
        int remaining = current.Count;
        foreach (KeyValuePair<string, byte[]> entry in scheduled)
        {
            view.Overlay.Delete(entry.Key);
            string keyHex = entry.Key[StateKeys.ValidatorNextPrefix.Length..];
            ValidatorUpdate update = ValidatorUpdate.Decode(GovernanceKeys.ValidatorUpdatePrefix + keyHex, entry.Value);
            string validatorKey = StateKeys.ValidatorPrefix + keyHex;
            bool present = view.Overlay.Get(validatorKey) is not null;
            if (update.Address is { } address)
            {
                if (!present) remaining++;
                view.Overlay.Set(validatorKey, StateValues.EncodeText(address));
            }
            else if (present && remaining > 1)
            {
                // Never the last one: a chain without validators could commit nothing ever again.
                remaining--;
                view.Overlay.Delete(validatorKey);
            }
        }
    }
}
