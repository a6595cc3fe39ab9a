using System.Collections.Generic;
using System.Formats.Cbor;
using System.Linq;
using CommunityGrid.Chain.Encoding;
using CommunityGrid.Chain.Genesis;
using CommunityGrid.Chain.State;

namespace CommunityGrid.Chain.Blocks;

/// <summary>The gateways whose signatures commit blocks, sorted by public key (bytewise).</summary>
public sealed class ValidatorSet
{
    private ValidatorSet(IReadOnlyList<Validator> validators)
    {
        Validators = validators;
        CborWriter w = Cbor.Writer();
        Write(w);
        Hash = Hashes.Sha256(w.Encode());
    }

    public IReadOnlyList<Validator> Validators { get; }

    /// <summary>SHA-256 of the canonical CBOR array [[key, address], ...]; every header names the set that commits it.</summary>
    public byte[] Hash { get; }

    /// <summary>Signatures needed for a commit: more than two thirds of the set (all of a set of one or two).</summary>
    public int Quorum => Validators.Count * 2 / 3 + 1;

    public bool Contains(byte[] key) => Validators.Any(v => Hashes.Equal(v.PublicKey, key));

    /// <summary>The same keys as the consensus counts them (one gateway, one vote; sorted bytewise like this set).</summary>
    public CommunityGrid.Consensus.ValidatorSet ForConsensus => forConsensus ??= new(Validators.Select(v => v.PublicKey));

    private CommunityGrid.Consensus.ValidatorSet? forConsensus;

    public static ValidatorSet FromGenesis(GenesisDocument g) =>
        Create(g.Validators.Select(v => new Validator(GenesisRules.ParseKey(v.PublicKey), v.Address)));

    /// <param name="prefix"><see cref="StateKeys.ValidatorPrefix"/> (the set that commits the next block) or <see cref="StateKeys.ValidatorPriorPrefix"/>.</param>
    public static ValidatorSet FromState(IStateReader state, string prefix = StateKeys.ValidatorPrefix)
    {
        var validators = new List<Validator>();
        foreach (KeyValuePair<string, byte[]> entry in state.EntriesWithPrefix(prefix))
        {
            byte[] key = System.Convert.FromHexString(entry.Key[prefix.Length..]);
            validators.Add(new Validator(key, StateValues.DecodeText(entry.Value, "validator address")));
        }
        return Create(validators);
    }

    public void Write(CborWriter w)
    {
        w.WriteStartArray(Validators.Count);
        foreach (Validator v in Validators)
        {
            w.WriteStartArray(2);
            w.WriteByteString(v.PublicKey);
            w.WriteTextString(v.Address);
            w.WriteEndArray();
        }
        w.WriteEndArray();
    }

    private static ValidatorSet Create(IEnumerable<Validator> validators) =>
        new(validators.OrderBy(v => v.PublicKey, Comparer<byte[]>.Create(Hashes.Compare)).ToList());
}

public sealed record Validator(byte[] PublicKey, string Address);
