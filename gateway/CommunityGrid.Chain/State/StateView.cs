using System;
using System.Collections.Generic;
using System.Formats.Cbor;
using CommunityGrid.Chain.Encoding;

namespace CommunityGrid.Chain.State;

/// <summary>Typed reads and writes of state entries during the execution of one block.</summary>
public sealed class StateView(StateOverlay overlay)
{
    public StateOverlay Overlay { get; } = overlay;

    public ChainParameters Parameters => LastDecoded.Parameters(Require(StateKeys.Parameters));

    public string ChainId => LastDecoded.ChainId(Require(StateKeys.Chain));

    // Meter and pending entries are read and written by every reading: they travel as typed records beside their bytes
    // (StateOverlay.SetRecord, IStateReader.GetRecord), so each is encoded once per write and decoded at most once per
    // value, not once per read (issue 18). The bytes are the same either way.
    public MeterRecord? Meter(string meterId) => Overlay.GetRecord(StateKeys.Meter(meterId), MeterRecord.Decode);

    public void PutMeter(string meterId, MeterRecord meter) => Overlay.SetRecord(StateKeys.Meter(meterId), meter.Encode(), meter);

    public bool MeterKeyInUse(byte[] key) => Overlay.Get(StateKeys.MeterKey(key)) is not null;

    public bool IsMember(string houseId) => Overlay.Get(StateKeys.Member(houseId)) is not null;

    /// <summary>How many houses are members; counts entries, so for the rare admission only.</summary>
    public int MemberCount() => Overlay.WithPrefix(StateKeys.Member("")).Count;

    public bool MemberKeyInUse(byte[] key) => Overlay.Get(StateKeys.MemberKey(key)) is not null;

    public void AddMember(string houseId, byte[] key)
    {
        Overlay.Set(StateKeys.Member(houseId), StateValues.EncodeBytes(key));
        Overlay.Set(StateKeys.MemberKey(key), StateValues.EncodeText(houseId));
        // A house removed by a vote and admitted again keeps the balance it still has.
        if (Overlay.Get(StateKeys.Balance(houseId)) is null) Overlay.Set(StateKeys.Balance(houseId), StateValues.EncodeInt(0));
    }

    public void AddMeter(string meterId, MeterRecord meter)
    {
        PutMeter(meterId, meter);
        Overlay.Set(StateKeys.MeterKey(meter.PublicKey), StateValues.EncodeText(meterId));
    }

    public long Balance(string houseId) => StateValues.DecodeInt(Require(StateKeys.Balance(houseId)), "balance");

    public void SetBalance(string houseId, long value) => Overlay.Set(StateKeys.Balance(houseId), StateValues.EncodeInt(value));

    public long Fund => StateValues.DecodeInt(Require(StateKeys.Fund), "fund");

    public void SetFund(long value) => Overlay.Set(StateKeys.Fund, StateValues.EncodeInt(value));

    /// <summary>The last nonce the signer used; 0 before its first administrative transaction.</summary>
    public long Nonce(byte[] signer) => Overlay.Get(StateKeys.Nonce(signer)) is { } v ? StateValues.DecodeInt(v, "nonce") : 0;

    public void SetNonce(byte[] signer, long nonce) => Overlay.Set(StateKeys.Nonce(signer), StateValues.EncodeInt(nonce));

    public bool IsInstaller(byte[] key) => Overlay.Get(StateKeys.Installer(key)) is not null;

    public bool IsTreasurer(byte[] key) => Overlay.Get(StateKeys.Treasurer(key)) is not null;

    /// <summary>Start (Unix seconds) of the earliest interval not yet closed.</summary>
    public long NextInterval => StateValues.DecodeInt(Require(StateKeys.NextInterval), "next interval");

    public void SetNextInterval(long start) => Overlay.Set(StateKeys.NextInterval, StateValues.EncodeInt(start));

    public PendingEnergy? Pending(long intervalStart, string houseId) =>
        Overlay.GetRecord(StateKeys.Pending(intervalStart, houseId), PendingEnergy.Decode);

    public void SetPending(long intervalStart, string houseId, PendingEnergy energy) =>
        Overlay.SetRecord(StateKeys.Pending(intervalStart, houseId), energy.Encode(), energy);

    public List<KeyValuePair<string, byte[]>> WithPrefix(string prefix) => Overlay.WithPrefix(prefix);

    private byte[] Require(string key) =>
        Overlay.Get(key) ?? throw new ChainFormatException($"state entry '{key}' is missing; the state is corrupt");
}

/// <summary>
/// The chain id and parameters are read by every transaction and change almost never: each thread keeps the last
/// value it decoded with a copy of its exact bytes, and decodes again whenever the bytes differ (issue 18). A pure
/// function of the bytes, so the result is what decoding gives; the decoded records are immutable.
/// </summary>
internal static class LastDecoded
{
    [ThreadStatic] private static byte[]? parametersBytes;
    [ThreadStatic] private static ChainParameters? parameters;
    [ThreadStatic] private static byte[]? chainBytes;
    [ThreadStatic] private static string? chainId;

    public static ChainParameters Parameters(byte[] bytes)
    {
        if (parameters is not null && bytes.AsSpan().SequenceEqual(parametersBytes)) return parameters;
        ChainParameters decoded = Cbor.Decode("parameters", bytes, ChainParameters.Read);
        (parametersBytes, parameters) = ((byte[])bytes.Clone(), decoded);
        return decoded;
    }

    public static string ChainId(byte[] bytes)
    {
        if (chainId is not null && bytes.AsSpan().SequenceEqual(chainBytes)) return chainId;
        string decoded = Cbor.Decode("chain", bytes, r =>
        {
            r.ReadStartArray();
            string id = r.ReadTextString();
            r.SkipValue();
            r.ReadEndArray();
            return id;
        });
        (chainBytes, chainId) = ((byte[])bytes.Clone(), decoded);
        return decoded;
    }
}
