using System.Linq;
using CommunityGrid.Chain.Encoding;

namespace CommunityGrid.Storage.Tests;

/// <summary>
/// Issue 11 case 6: the derived tables are verified row by row against the signed blocks on open (both modes), and
/// the queries serve what the blocks say even while a row is wrong.
/// </summary>
public sealed class IndexTamperTests
{
    private static string OpenFails(StoreFixture f, VerifyMode mode) =>
        Assert.Throws<ChainStoreException>(() => f.Open(mode).Dispose()).Message;

    private static byte[] FlipBit(byte[] bytes, int index)
    {
        byte[] copy = (byte[])bytes.Clone();
        copy[index] ^= 0x01;
        return copy;
    }

    public static TheoryData<string, VerifyMode> Tampering()
    {
        var data = new TheoryData<string, VerifyMode>();
        foreach (VerifyMode mode in new[] { VerifyMode.Full, VerifyMode.Headers })
        {
            foreach (string kind in new[] { "txs.id_prefix", "txs.idx", "typed_txs.type", "readings.meter", "meters.meter_id", "readings.sequence", "readings.height", "settlements.height", "extra reading", "extra typed_txs" })
            {
                data.Add(kind, mode);
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Tampering))]
    public void Every_altered_index_row_is_found_on_open(string kind, VerifyMode mode)
    {
        using var f = new StoreFixture();
        f.StoreBlocks();
        const string firstTx = "(SELECT MIN(height) FROM txs)";
        const string firstReading = "(SELECT MIN(height) FROM readings)";
        switch (kind)
        {
            case "txs.id_prefix":
                f.Tamper($"UPDATE txs SET id_prefix = id_prefix + 1 WHERE height = {firstTx}");
                break;
            case "txs.idx":
                f.Tamper($"UPDATE txs SET idx = idx + 100 WHERE height = {firstTx}");
                break;
            case "typed_txs.type":
                f.Tamper("UPDATE typed_txs SET type = type + 1 WHERE height = (SELECT MIN(height) FROM typed_txs)");
                break;
            case "readings.meter":
                f.Tamper($"UPDATE readings SET meter = meter + 1000 WHERE height = {firstReading}");
                break;
            case "meters.meter_id":
                // The meter's id is checked where the readings name it.
                f.Tamper("UPDATE meters SET meter_id = 'l' || substr(meter_id, 2) WHERE number = (SELECT MIN(number) FROM meters)");
                break;
            case "readings.sequence":
                f.Tamper("UPDATE readings SET sequence = sequence + 1000");
                break;
            case "readings.height":
                f.Tamper($"UPDATE readings SET height = height + 1 WHERE height = {firstReading}");
                break;
            case "settlements.height":
                f.Tamper("UPDATE settlements SET height = height - 1 WHERE interval_start = (SELECT MAX(interval_start) FROM settlements)");
                break;
            case "extra reading":
                f.Tamper($"INSERT INTO readings SELECT meter, sequence + 1000, height, idx FROM readings WHERE height = {firstReading}");
                break;
            case "extra typed_txs":
                f.Tamper("INSERT INTO typed_txs SELECT 5, height, idx FROM typed_txs WHERE height = (SELECT MIN(height) FROM typed_txs)");
                break;
        }
        string message = OpenFails(f, mode);
        Assert.Contains("index table '" + kind.Split('.')[0].Replace("extra reading", "readings").Replace("meters", "readings").Replace("extra typed_txs", "typed_txs") + "'", message);
    }

    [Fact]
    public void Queries_serve_the_signed_values_not_the_index_columns()
    {
        using var f = new StoreFixture();
        f.StoreBlocks();
        using ChainStore store = f.Open();
        var before = store.GetReadings("m1").Select(r => (r.Sequence, r.ImportWh, r.ExportWh, r.Height, r.Index)).ToList();
        byte[] firstTxId = Hashes.Sha256(f.Block(1).Body.Transactions[0]);
        Assert.NotNull(store.GetTransaction(firstTxId));

        // Behind the running store's back, as in the issue: each index row now points at another transaction.
        f.Tamper("UPDATE readings SET idx = idx + 1 WHERE meter = (SELECT number FROM meters WHERE meter_id = 'm1')");
        f.Tamper("UPDATE txs SET idx = idx + 1 WHERE height = 1");
        f.Tamper("UPDATE settlements SET height = (SELECT MIN(height) FROM settlements)");
        f.Tamper("UPDATE typed_txs SET type = 8");

        // Only m1's signed readings are served, never what another position holds.
        Assert.All(store.GetReadings("m1"), r => Assert.Contains((r.Sequence, r.ImportWh, r.ExportWh, r.Height, r.Index), before));
        Assert.Null(store.GetTransaction(firstTxId)); // the row's position holds bytes that do not hash to the id
        Assert.Null(store.GetTransaction(FlipBit(firstTxId, 31)));
        long last = f.Scalar<long>("SELECT MAX(interval_start) FROM settlements");
        Assert.Null(store.GetSettlement(last)); // the block the row names did not close that interval
        Assert.Empty(store.GetTransactionsOfType(CommunityGrid.Chain.Transactions.TxType.Statement)); // the rows lead to payments and enrolments
    }

    [Fact]
    public void A_transaction_is_found_by_its_id_among_rows_sharing_the_id_prefix()
    {
        using var f = new StoreFixture();
        f.StoreBlocks();
        using ChainStore store = f.Open();
        byte[] wanted = Hashes.Sha256(f.Block(3).Body.Transactions[1]);
        // Every transaction's row gets the wanted id's prefix, as colliding prefixes would have.
        f.Tamper("UPDATE txs SET id_prefix = (SELECT id_prefix FROM txs WHERE height = 3 AND idx = 1)");
        Assert.True(f.Scalar<long>("SELECT COUNT(*) FROM txs") > 10);
        StoredTransaction found = store.GetTransaction(wanted)!;
        Assert.Equal((3L, 1), (found.Height, found.Index));
        Assert.Equal(Hashes.Hex(wanted), Hashes.Hex(Hashes.Sha256(found.Bytes)));
    }

    [Fact]
    public void Every_intact_index_row_checks_out()
    {
        using var f = new StoreFixture(intervals: 8);
        f.StoreBlocks();
        Assert.True(f.Scalar<long>("SELECT COUNT(*) FROM readings") > 10);
        using ChainStore store = f.Open(VerifyMode.Headers);
        Assert.Equal(Hashes.Hex(f.Community.State.StateRoot), Hashes.Hex(store.State.StateRoot));
    }
}
