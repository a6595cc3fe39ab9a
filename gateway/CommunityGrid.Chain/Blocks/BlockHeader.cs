using System.Formats.Cbor;
using CommunityGrid.Chain.Encoding;

namespace CommunityGrid.Chain.Blocks;

/// <summary>
/// A block header; its hash is SHA-256 of <see cref="Encode"/>, a canonical CBOR map with keys 1..10 (chain.md §6).
/// <see cref="PreviousHash"/> of block 1 is the genesis hash. <see cref="ValidatorSetHash"/> names the set that
/// commits the blocks after this one (light clients follow set changes by it); <see cref="PreviousCommitHash"/>
/// binds the previous block's commit certificate, which the body carries.
/// </summary>
public sealed record BlockHeader(
    string ChainId,
    long Height,
    long TimeMs,
    byte[] PreviousHash,
    byte[] TxRoot,
    byte[] StateRoot,
    byte[] SettlementRoot,
    byte[] ValidatorSetHash,
    byte[] Proposer,
    byte[] PreviousCommitHash)
{
    public const int FieldCount = 10;

    public byte[] Encode()
    {
        CborWriter w = Cbor.Writer();
        w.WriteStartMap(FieldCount);
        w.WriteInt32(1); w.WriteTextString(ChainId);
        w.WriteInt32(2); w.WriteInt64(Height);
        w.WriteInt32(3); w.WriteInt64(TimeMs);
        w.WriteInt32(4); w.WriteByteString(PreviousHash);
        w.WriteInt32(5); w.WriteByteString(TxRoot);
        w.WriteInt32(6); w.WriteByteString(StateRoot);
        w.WriteInt32(7); w.WriteByteString(SettlementRoot);
        w.WriteInt32(8); w.WriteByteString(ValidatorSetHash);
        w.WriteInt32(9); w.WriteByteString(Proposer);
        w.WriteInt32(10); w.WriteByteString(PreviousCommitHash);
        w.WriteEndMap();
        return w.Encode();
    }

    public byte[] Hash() => Hashes.Sha256(Encode());

    public static BlockHeader Decode(byte[] bytes) => Cbor.Decode("block header", bytes, r =>
    {
        const string what = "block header";
        Cbor.ReadMapHeader(r, FieldCount, what);
        Cbor.ReadKey(r, 1, what); string chainId = r.ReadTextString();
        Cbor.ReadKey(r, 2, what); long height = Cbor.ReadNonNegative(r, what + " height");
        Cbor.ReadKey(r, 3, what); long time = Cbor.ReadNonNegative(r, what + " time");
        Cbor.ReadKey(r, 4, what); byte[] previous = Cbor.ReadBytes(r, Hashes.Size, what + " previous hash");
        Cbor.ReadKey(r, 5, what); byte[] txRoot = Cbor.ReadBytes(r, Hashes.Size, what + " tx root");
        Cbor.ReadKey(r, 6, what); byte[] stateRoot = Cbor.ReadBytes(r, Hashes.Size, what + " state root");
        Cbor.ReadKey(r, 7, what); byte[] settlementRoot = Cbor.ReadBytes(r, Hashes.Size, what + " settlement root");
        Cbor.ReadKey(r, 8, what); byte[] validators = Cbor.ReadBytes(r, Hashes.Size, what + " validator-set hash");
        Cbor.ReadKey(r, 9, what); byte[] proposer = Cbor.ReadBytes(r, 32, what + " proposer");
        Cbor.ReadKey(r, 10, what); byte[] previousCommit = Cbor.ReadBytes(r, Hashes.Size, what + " previous commit hash");
        r.ReadEndMap();
        return new BlockHeader(chainId, height, time, previous, txRoot, stateRoot, settlementRoot, validators, proposer, previousCommit);
    });
}
