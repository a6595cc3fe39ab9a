using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using CommunityGrid.Chain.Blocks;
using CommunityGrid.Chain.Genesis;
using CommunityGrid.Chain.Transactions;
using CommunityGrid.Consensus.Messages;
using CommunityGrid.Formats;
using CommunityGrid.Formats.Cose;
using Microsoft.Data.Sqlite;
using NSec.Cryptography;

namespace CommunityGrid.Simulation.Floor;

/// <summary>
/// The least a replay of a stored chain must spend on its cryptography: every distinct signature the chain holds
/// verified once with libsodium on one thread: each transaction's COSE_Sign1 (readings and admin transactions) and
/// each precommit signature of the commit certificates (the one stored with each block and the one the next block
/// carries; a signature both hold counts once). The signed bytes are built and the keys imported before the clock
/// starts, so the figure is the verifications alone.
/// </summary>
public static class ChainSignatures
{
    public sealed record Figure(long Transactions, long CommitSignatures, TimeSpan Wall, TimeSpan Cpu)
    {
        public long Signatures => Transactions + CommitSignatures;
    }

    private sealed record Signed(byte[] Key, byte[] Message, byte[] Signature);

    public static Figure Measure(string chainPath, GenesisDocument genesis)
    {
        (List<Signed> signed, long transactions) = Collect(chainPath, genesis.ChainId);
        var keys = new Dictionary<string, PublicKey>(StringComparer.Ordinal);
        var imported = new PublicKey[signed.Count];
        for (int i = 0; i < signed.Count; i++)
        {
            string hex = Convert.ToHexString(signed[i].Key);
            if (!keys.TryGetValue(hex, out PublicKey? key))
            {
                key = PublicKey.Import(SignatureAlgorithm.Ed25519, signed[i].Key, KeyBlobFormat.RawPublicKey);
                keys[hex] = key;
            }
            imported[i] = key;
        }
        Process self = Process.GetCurrentProcess();
        TimeSpan cpuBefore = self.TotalProcessorTime;
        var wall = Stopwatch.StartNew();
        long valid = 0;
        for (int i = 0; i < signed.Count; i++)
        {
            if (SignatureAlgorithm.Ed25519.Verify(imported[i], signed[i].Message, signed[i].Signature)) valid++;
        }
        wall.Stop();
        self.Refresh();
        TimeSpan cpu = self.TotalProcessorTime - cpuBefore;
        if (valid != signed.Count) throw new InvalidOperationException($"only {valid} of {signed.Count} signatures in {chainPath} verified");
        return new Figure(transactions, signed.Count - transactions, wall.Elapsed, cpu);
    }

    private static (List<Signed> Signed, long Transactions) Collect(string chainPath, string chainId)
    {
        string[] contentTypes = [ContentTypes.Reading, .. Enum.GetValues<TxType>().Where(t => t != TxType.Reading).Select(TxContentTypes.Of)];
        var signed = new List<Signed>();
        var seenCommitSignatures = new HashSet<string>(StringComparer.Ordinal);
        long transactions = 0;
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = chainPath, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        connection.Open();
        using SqliteCommand select = connection.CreateCommand();
        select.CommandText = "SELECT body, commit_sigs FROM blocks ORDER BY height";
        using SqliteDataReader rows = select.ExecuteReader();
        while (rows.Read())
        {
            BlockBody body = BlockBody.Decode((byte[])rows.GetValue(0));
            foreach (byte[] tx in body.Transactions)
            {
                DecodedCoseSign1 message = DecodeAnyType(tx, contentTypes);
                signed.Add(new Signed(message.KeyId, CoseSign1Codec.SigStructure(message.ProtectedHeader, message.Payload), message.Signature));
                transactions++;
            }
            foreach (CommitCertificate? commit in new[] { body.PreviousCommit, BlockCommits.Decode((byte[])rows.GetValue(1), "commit") })
            {
                if (commit is null) continue;
                byte[] signBytes = SignedVote.SignBytes(chainId, MessageType.Precommit, commit.Height, commit.Round, commit.BlockId);
                foreach (CommitSignature s in commit.Signatures)
                {
                    if (seenCommitSignatures.Add(Convert.ToHexString(s.Validator) + Convert.ToHexString(s.Signature))) signed.Add(new Signed(s.Validator, signBytes, s.Signature));
                }
            }
        }
        return (signed, transactions);
    }

    private static DecodedCoseSign1 DecodeAnyType(byte[] tx, string[] contentTypes)
    {
        foreach (string contentType in contentTypes)
        {
            try
            {
                return CoseSign1Codec.Decode(tx, contentType);
            }
            catch (ProtocolFormatException)
            {
                // Another content type; try the next.
            }
        }
        throw new InvalidOperationException("a stored transaction is no COSE_Sign1 of a known content type");
    }
}
