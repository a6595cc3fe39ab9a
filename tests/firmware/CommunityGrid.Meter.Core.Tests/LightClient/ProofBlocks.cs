using System;
using System.Collections.Generic;
using System.Formats.Cbor;
using System.Linq;
using CommunityGrid.Chain.Blocks;
using CommunityGrid.Chain.State;
using CommunityGrid.Protocol.Cose;
using CommunityGrid.Protocol.Crypto;
using CommunityGrid.Protocol.Merkle;
using CommunityGrid.Protocol.Readings;

namespace CommunityGrid.Meter.Core.Tests.LightClient;

/// <summary>
/// Blocks as a gateway commits them for one meter, and the proof messages (protocol.md §7.6) it would send: state
/// leaves made by the chain's <see cref="StateTree"/>, headers by <see cref="BlockHeader"/>, certificates by the
/// consensus project, the message encoded here with System.Formats.Cbor (independently of the meter's decoder).
/// </summary>
internal sealed class ProofBlocks
{
    public const string MeterId = "meter-0001";
    public const string HouseId = "house-01";
    public const int IntervalSeconds = 900;
    public const long FirstInterval = 1_780_000_200;

    public ProofBlocks(Validators validators)
    {
        Validators = validators;
        MeterSeed = Enumerable.Repeat((byte)0x7a, 32).ToArray();
        MeterKey = Ed25519.PublicKeyFromSeed(MeterSeed);
    }

    public Validators Validators { get; }
    public byte[] MeterSeed { get; }
    public byte[] MeterKey { get; }

    public byte[] Reading(long sequence) => SignedReading.Create(
        new MeterReading(Validators.ChainId, MeterId, sequence, FirstInterval + (sequence - 1) * IntervalSeconds, IntervalSeconds, 1000 * sequence, 10 * sequence, 500 * sequence, "test/1"),
        MeterSeed);

    public static byte[] MeterEntry(byte[] key, long lastSequence, long importOffset = 0)
    {
        var w = new CborWriter(CborConformanceMode.Canonical);
        w.WriteStartMap(8);
        w.WriteInt32(1); w.WriteByteString(key);
        w.WriteInt32(2); w.WriteTextString(HouseId);
        w.WriteInt32(3); w.WriteInt32(1);
        w.WriteInt32(4); w.WriteInt64(lastSequence);
        w.WriteInt32(5); w.WriteInt64(FirstInterval + (lastSequence - 1) * IntervalSeconds);
        w.WriteInt32(6); w.WriteInt64(1000 * lastSequence + importOffset);
        w.WriteInt32(7); w.WriteInt64(10 * lastSequence);
        w.WriteInt32(8); w.WriteInt64(500 * lastSequence);
        w.WriteEndMap();
        return w.Encode();
    }

    /// <summary>State entry <c>price</c>'s value (chain.md §3).</summary>
    public static byte[] PriceEntry(long intervalStart, long price)
    {
        var w = new CborWriter(CborConformanceMode.Canonical);
        w.WriteStartArray(2);
        w.WriteInt64(intervalStart);
        w.WriteInt64(price);
        w.WriteEndArray();
        return w.Encode();
    }

    public static byte[] Int(long value)
    {
        var w = new CborWriter(CborConformanceMode.Canonical);
        w.WriteInt64(value);
        return w.Encode();
    }

    /// <summary>Block <paramref name="height"/> holding readings <paramref name="readings"/> of the meter (plus others' transactions), the state after it.</summary>
    public Committed Block(long height, long[] readings, long lastSequence, long balance, byte[]? validatorSetHash = null, byte[]? entryKey = null, long importOffset = 0,
        long price = 23)
    {
        long priceInterval = FirstInterval + (lastSequence - 1) * IntervalSeconds;
        var txs = new List<byte[]> { Enumerable.Repeat((byte)0xa0, 50).ToArray() };
        foreach (long s in readings) txs.Add(Reading(s));
        txs.Add(Enumerable.Repeat((byte)0xa1, 60).ToArray());
        var state = new SortedDictionary<string, byte[]>(StringComparer.Ordinal)
        {
            ["balance/" + HouseId] = Int(balance),
            ["balance/house-02"] = Int(77),
            ["fund"] = Int(5),
            ["interval/next"] = Int(FirstInterval),
            ["meter/" + MeterId] = MeterEntry(entryKey ?? MeterKey, lastSequence, importOffset),
            ["meter/meter-0002"] = MeterEntry(Enumerable.Repeat((byte)1, 32).ToArray(), 3),
            ["price"] = PriceEntry(priceInterval, price),
        };
        byte[][] leaves = state.Select(e => StateTree.Leaf(e.Key, e.Value)).ToArray();
        byte[][] txArray = txs.ToArray();
        BlockHeader header = Headers.Make(height, validatorSetHash ?? Validators.SetHash(), MerkleTree.Root(txArray), MerkleTree.Root(leaves));
        return new Committed(header, txArray, state.Keys.ToList(), leaves, readings.Length == 0 ? -1 : txs.Count - 2, balance, state["meter/" + MeterId], priceInterval, price);
    }

    internal sealed record Committed(BlockHeader Header, byte[][] Transactions, List<string> Keys, byte[][] StateLeaves, int LastReadingIndex, long Balance, byte[] Entry,
        long PriceInterval, long Price)
    {
        public (int Index, byte[][] Path) StatePath(string key)
        {
            int index = Keys.IndexOf(key);
            return (index, MerkleTree.InclusionProof(StateLeaves, index));
        }
    }

    /// <summary>The message as an honest gateway sends it; every argument lets a test lie about one part.</summary>
    public byte[] Message(Committed block, byte[]? certificate = null, long? balance = null, byte[]? entry = null, bool withReading = true,
        byte[]? nextSet = null, string meterId = MeterId, int? readingIndex = null, long? price = null, long? priceInterval = null, int? priceIndex = null,
        byte[][]? pricePath = null, bool withPrice = true)
    {
        certificate ??= Validators.Certify(block.Header.Height, 0, block.Header.Hash(), 0, 1, 2).Encode();
        var (entryIndex, entryPath) = block.StatePath("meter/" + MeterId);
        var (balanceIndex, balancePath) = block.StatePath("balance/" + HouseId);
        var (truePriceIndex, truePricePath) = block.StatePath("price");
        bool reading = withReading && block.LastReadingIndex >= 0;
        var w = new CborWriter(CborConformanceMode.Canonical);
        w.WriteStartMap((withPrice ? 7 : 6) + (reading ? 1 : 0) + (nextSet is null ? 0 : 1));
        w.WriteInt32(1); w.WriteTextString(Validators.ChainId);
        w.WriteInt32(2); w.WriteTextString(meterId);
        w.WriteInt32(3); w.WriteByteString(block.Header.Encode());
        w.WriteInt32(4); w.WriteByteString(certificate);
        w.WriteInt32(5); w.WriteStartArray(4); w.WriteByteString(entry ?? block.Entry); Position(w, entryIndex, block.StateLeaves.Length, entryPath); w.WriteEndArray();
        w.WriteInt32(6); w.WriteStartArray(4); w.WriteInt64(balance ?? block.Balance); Position(w, balanceIndex, block.StateLeaves.Length, balancePath); w.WriteEndArray();
        if (reading)
        {
            int index = readingIndex ?? block.LastReadingIndex;
            w.WriteInt32(7); w.WriteStartArray(3); Position(w, index, block.Transactions.Length, MerkleTree.InclusionProof(block.Transactions, index)); w.WriteEndArray();
        }
        if (nextSet is not null)
        {
            w.WriteInt32(8); w.WriteByteString(nextSet);
        }
        if (withPrice)
        {
            w.WriteInt32(9); w.WriteStartArray(4);
            w.WriteStartArray(2); w.WriteInt64(priceInterval ?? block.PriceInterval); w.WriteInt64(price ?? block.Price); w.WriteEndArray();
            Position(w, priceIndex ?? truePriceIndex, block.StateLeaves.Length, pricePath ?? truePricePath); w.WriteEndArray();
        }
        w.WriteEndMap();
        return w.Encode();
    }

    private static void Position(CborWriter w, int index, int size, byte[][] path)
    {
        w.WriteInt32(index);
        w.WriteInt32(size);
        w.WriteStartArray(path.Length);
        foreach (byte[] hash in path) w.WriteByteString(hash);
        w.WriteEndArray();
    }
}
