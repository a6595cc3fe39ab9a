using System.Formats.Cbor;
using CommunityGrid.Chain.Encoding;
using CommunityGrid.Chain.Genesis;

namespace CommunityGrid.Chain.State;

/// <summary>The state at height 0, built from a genesis document.</summary>
public static class GenesisState
{
    public static StateEntries Build(GenesisDocument g)
    {
        GenesisCanonical.Require(g);
        var entries = new StateEntries();
        var view = new StateView(new StateOverlay(entries));
        StateOverlay o = view.Overlay;

        CborWriter chain = Cbor.Writer();
        chain.WriteStartArray(2);
        chain.WriteTextString(g.ChainId);
        chain.WriteByteString(GenesisCanonical.Hash(g));
        chain.WriteEndArray();
        o.Set(StateKeys.Chain, chain.Encode());

        CborWriter parameters = Cbor.Writer();
        ChainParameters chainParameters = GenesisCanonical.Parameters(g);
        chainParameters.Write(parameters);
        o.Set(StateKeys.Parameters, parameters.Encode());
        Intervals.IntervalPrice.AtGenesis(chainParameters.RetailPrice).Write(view);

        view.SetFund(0);
        long startSeconds = g.GenesisTimeMs / 1000;
        view.SetNextInterval(startSeconds - startSeconds % g.IntervalSeconds);
        foreach (GenesisMember m in g.Members) view.AddMember(m.HouseId, GenesisRules.ParseKey(m.PublicKey));
        // Meters start from their registers with no reading yet: the first reading's energy counts from the first interval.
        foreach (GenesisMeter m in g.Meters ?? [])
        {
            view.AddMeter(m.MeterId, new MeterRecord(GenesisRules.ParseKey(m.PublicKey), m.HouseId, (Transactions.MeterRole)m.Role, 0, view.NextInterval, m.ImportWh, m.ExportWh, m.PvWh));
        }
        foreach (byte[] key in GenesisCanonical.SortedKeys(g.InstallerKeys)) o.Set(StateKeys.Installer(key), StateValues.True());
        foreach (byte[] key in GenesisCanonical.SortedKeys(g.TreasurerKeys)) o.Set(StateKeys.Treasurer(key), StateValues.True());
        foreach (GenesisValidator v in g.Validators)
        {
            o.Set(StateKeys.Validator(GenesisRules.ParseKey(v.PublicKey)), StateValues.EncodeText(v.Address));
        }
        entries.Apply(o.Changes());
        return entries;
    }
}
