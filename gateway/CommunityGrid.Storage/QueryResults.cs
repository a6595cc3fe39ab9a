using CommunityGrid.Chain.Blocks;
using CommunityGrid.Chain.Intervals;
using CommunityGrid.Chain.State;
using CommunityGrid.Chain.Transactions;

namespace CommunityGrid.Storage;

public sealed record StoredBlock(Block Block, byte[] Hash);

/// <param name="Proof">RFC 6962 inclusion path of <paramref name="Bytes"/> at <paramref name="Index"/> among the block's transactions, against <c>Header.TxRoot</c>.</param>
public sealed record StoredTransaction(byte[] Id, long Height, int Index, TxType Type, byte[] Bytes, int TxCount, byte[][] Proof, BlockHeader Header);

public sealed record StoredReading(
    string MeterId, long Sequence, long IntervalStart, long ImportWh, long ExportWh, long PvWh, byte[] TxId, long Height, int Index);

/// <param name="Proof">Proves <paramref name="Balance"/> against <c>Tip.StateRoot</c>.</param>
public sealed record BalanceWithProof(string HouseId, long Balance, StateProof Proof, BlockHeader Tip);

public sealed record StoredSettlement(SettlementResult Result, long Height);

/// <param name="BlockTimeMs">Time of the block that committed the meter's latest reading.</param>
public sealed record MeterLastReading(string MeterId, long BlockTimeMs, long Height);
