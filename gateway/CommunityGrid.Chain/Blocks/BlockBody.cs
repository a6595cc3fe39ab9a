using System;
using System.Collections.Generic;
using System.Formats.Cbor;
using CommunityGrid.Chain.Encoding;
using CommunityGrid.Chain.Intervals;
using CommunityGrid.Chain.State;
using CommunityGrid.Consensus.Messages;
using CommunityGrid.Protocol.Merkle;

namespace CommunityGrid.Chain.Blocks;

/// <summary>
/// The transactions of a block in execution order (each exactly as signed) and the settlement results of the
/// intervals it closed, earliest first, and the commit certificate of the previous block (null in block 1), so that the
/// commit of block h is part of the agreed chain from h+1 on. Canonical CBOR:
/// [[tx bstr, ...], [settlement result, ...], previous commit certificate / null].
/// </summary>
public sealed record BlockBody(IReadOnlyList<byte[]> Transactions, IReadOnlyList<SettlementResult> Settlements, CommitCertificate? PreviousCommit = null)
{
    /// <summary>RFC 6962 root over the transactions' bytes; a tx's inclusion proof is against this.</summary>
    public byte[] TxRoot() => MerkleTree.Root(ToArray(Transactions), BclMerkleHasher.Instance);

    /// <summary>RFC 6962 root over the settlement results' canonical encodings.</summary>
    public byte[] SettlementRoot() => SettlementRootOf(EncodedSettlements());

    /// <summary>The canonical encoding of each settlement result, in order: the leaves of <see cref="SettlementRoot"/>.</summary>
    public byte[][] EncodedSettlements()
    {
        var encoded = new byte[Settlements.Count][];
        for (int i = 0; i < encoded.Length; i++) encoded[i] = Settlements[i].Encode();
        return encoded;
    }

    /// <summary><see cref="SettlementRoot"/> from <see cref="EncodedSettlements"/>, for a caller that needs the encodings too.</summary>
    public static byte[] SettlementRootOf(byte[][] encodedSettlements) => MerkleTree.Root(encodedSettlements, BclMerkleHasher.Instance);

    /// <summary>The inclusion proof of settlement result <paramref name="index"/> against <see cref="SettlementRoot"/>.</summary>
    public byte[][] SettlementInclusionProof(int index)
    {
        var leaves = new byte[Settlements.Count][];
        for (int i = 0; i < leaves.Length; i++) leaves[i] = Settlements[i].Encode();
        return MerkleTree.InclusionProof(leaves, index, BclMerkleHasher.Instance);
    }

    public byte[][] TxInclusionProof(int index) => MerkleTree.InclusionProof(ToArray(Transactions), index, BclMerkleHasher.Instance);

    public byte[] Encode()
    {
        // Sized for the transactions and their heads (up to 5 bytes each below 4 GiB), so a block of 2,000 readings is
        // not copied through a dozen doublings of the buffer; settlements and the commit grow it if they need more.
        long transactionBytes = 16;
        foreach (byte[] tx in Transactions) transactionBytes += tx.Length + 5;
        CborWriter w = Cbor.Writer((int)Math.Min(transactionBytes + 1024, Array.MaxLength));
        WriteTo(w);
        return w.Encode();
    }

    /// <summary>
    /// Writes the encoding <see cref="Encode"/> returns into <paramref name="w"/> (a writer of <see cref="Cbor.Writer()"/>'s
    /// settings), for a caller that reuses one writer for every block instead of a new buffer the size of each block.
    /// </summary>
    public void WriteTo(CborWriter w)
    {
        ArgumentNullException.ThrowIfNull(w);
        w.WriteStartArray(3);
        w.WriteStartArray(Transactions.Count);
        foreach (byte[] tx in Transactions) w.WriteByteString(tx);
        w.WriteEndArray();
        w.WriteStartArray(Settlements.Count);
        foreach (SettlementResult s in Settlements) w.WriteEncodedValue(s.Encode());
        w.WriteEndArray();
        if (PreviousCommit is null) w.WriteNull();
        else w.WriteEncodedValue(PreviousCommit.Encode());
        w.WriteEndArray();
    }

    public static BlockBody Decode(byte[] bytes) => Cbor.Decode("block body", bytes, r =>
    {
        const string what = "block body";
        if (Cbor.ReadArrayHeader(r, what) != 3) throw new ChainFormatException($"{what}: must be an array of 3 items");
        int txCount = Cbor.ReadArrayHeader(r, what);
        var txs = new List<byte[]>(txCount);
        for (int i = 0; i < txCount; i++) txs.Add(r.ReadByteString());
        r.ReadEndArray();
        int settlementCount = Cbor.ReadArrayHeader(r, what);
        var settlements = new List<SettlementResult>(settlementCount);
        for (int i = 0; i < settlementCount; i++) settlements.Add(SettlementResult.Decode(r.ReadEncodedValue().ToArray()));
        r.ReadEndArray();
        CommitCertificate? previousCommit = null;
        if (r.PeekState() == CborReaderState.Null) r.ReadNull();
        else previousCommit = BlockCommits.Decode(r.ReadEncodedValue().ToArray(), what + " previous commit");
        r.ReadEndArray();
        return new BlockBody(txs, settlements, previousCommit);
    });

    private static byte[][] ToArray(IReadOnlyList<byte[]> items)
    {
        var array = new byte[items.Count][];
        for (int i = 0; i < array.Length; i++) array[i] = items[i];
        return array;
    }
}
