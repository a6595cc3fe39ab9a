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
            foreach (string kind in new[] { "txs.signer", "txs.id", "txs.type", "readings.meter_id", "readings.import_wh", "readings.tx_id", "settlements.result", "extra reading" })
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
        const string firstTx = "(SELECT MIN(rowid) FROM txs)";
        const string firstReading = "(SELECT MIN(rowid) FROM readings)";
        switch (kind)
        {
            case "txs.signer":
                f.Tamper($"UPDATE txs SET signer = $v WHERE rowid = {firstTx}", ("$v", FlipBit(f.Scalar<byte[]>($"SELECT signer FROM txs WHERE rowid = {firstTx}"), 5)));
                break;
            case "txs.id":
                f.Tamper($"UPDATE txs SET id = $v WHERE rowid = {firstTx}", ("$v", FlipBit(f.Scalar<byte[]>($"SELECT id FROM txs WHERE rowid = {firstTx}"), 31)));
                break;
            case "txs.type":
                f.Tamper($"UPDATE txs SET type = type + 1 WHERE rowid = {firstTx}");
                break;
            case "readings.meter_id":
                f.Tamper($"UPDATE readings SET meter_id = 'l' || substr(meter_id, 2) WHERE rowid = {firstReading}");
                break;
            case "readings.import_wh":
                f.Tamper("UPDATE readings SET import_wh = import_wh + 1");
                break;
            case "readings.tx_id":
                f.Tamper($"UPDATE readings SET tx_id = $v WHERE rowid = {firstReading}", ("$v", FlipBit(f.Scalar<byte[]>($"SELECT tx_id FROM readings WHERE rowid = {firstReading}"), 0)));
                break;
            case "settlements.result":
                f.Tamper("UPDATE settlements SET result = (SELECT result FROM settlements ORDER BY interval_start LIMIT 1) WHERE interval_start = (SELECT MAX(interval_start) FROM settlements)");
                break;
            case "extra reading":
                f.Tamper("INSERT INTO readings SELECT meter_id, sequence + 1000, interval_start, import_wh, export_wh, pv_wh, tx_id, height, idx FROM readings WHERE rowid = " + firstReading);
                break;
        }
        string message = OpenFails(f, mode);
        Assert.Contains("index table '" + kind.Split('.')[0].Replace("extra reading", "readings") + "'", message);
    }

    [Fact]
    public void Queries_serve_the_signed_values_not_the_index_columns()
    {
        using var f = new StoreFixture();
        f.StoreBlocks();
        using ChainStore store = f.Open();
        StoredReading before = store.GetReadings("m1").First();
        byte[] firstTxId = f.Scalar<byte[]>("SELECT id FROM txs WHERE rowid = (SELECT MIN(rowid) FROM txs)");

        // Behind the running store's back, as in the issue.
        f.Tamper("UPDATE readings SET import_wh = import_wh + 1, export_wh = 0");
        f.Tamper("UPDATE txs SET id = $v WHERE rowid = (SELECT MIN(rowid) FROM txs)", ("$v", FlipBit(firstTxId, 31)));
        f.Tamper("UPDATE settlements SET result = (SELECT result FROM settlements ORDER BY interval_start LIMIT 1)");

        StoredReading after = store.GetReadings("m1").First();
        Assert.Equal((before.ImportWh, before.ExportWh, before.PvWh), (after.ImportWh, after.ExportWh, after.PvWh));
        Assert.Null(store.GetTransaction(FlipBit(firstTxId, 31))); // the index's id does not hash the block's bytes
        long last = f.Scalar<long>("SELECT MAX(interval_start) FROM settlements");
        Assert.Equal(last, store.GetSettlement(last)!.Result.IntervalStart);
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
