using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using CommunityGrid.Chain.Blocks;
using CommunityGrid.Chain.Encoding;
using CommunityGrid.Chain.Intervals;
using CommunityGrid.Chain.State;
using CommunityGrid.Chain.Transactions;
using CommunityGrid.Formats.Signing;
using CommunityGrid.Meter.Display;
using CommunityGrid.Meter.LightClient;
using CommunityGrid.Meter.Queue;
using CommunityGrid.Meter.Storage;
using CommunityGrid.Node.Proofs;
using CommunityGrid.Protocol.Merkle;
using PortableReading = CommunityGrid.Protocol.Readings.MeterReading;
using PortableSignedReading = CommunityGrid.Protocol.Cose.SignedReading;

namespace CommunityGrid.Node.Tests.Proofs;

/// <summary>
/// docs/protocol.md §7.6's worked example, byte for byte: encoded by the gateway's <see cref="MeterProofMessage"/>
/// (System.Formats.Cbor), decoded and verified by the meter's portable <see cref="MeterLightClient"/>.
/// </summary>
public sealed class ProofMessageExampleTests
{
    private const string ChainId = "communitygrid-test";
    private const string MeterId = "meter-0001";

    /// <summary>State entry <c>price</c>: the interval before the reading's closed at 21 minor units per kWh.</summary>
    private static readonly IntervalPrice Price = new(1_779_999_300, 21);

    /// <summary>A set of one validator (seed 01×32) commits block 1 holding reading 1 of meter-0001 (seed 7a×32).</summary>
    private static (MeterProofMessage Message, byte[] SetEncoding, byte[] Reading, byte[] MeterSeed) Example()
    {
        using var validator = Ed25519Signer.FromSeed(Enumerable.Repeat((byte)0x01, 32).ToArray());
        byte[] meterSeed = Enumerable.Repeat((byte)0x7a, 32).ToArray();
        byte[] meterKey = CommunityGrid.Protocol.Crypto.Ed25519.PublicKeyFromSeed(meterSeed);
        byte[] reading = PortableSignedReading.Create(new PortableReading(ChainId, MeterId, 1, 1_780_000_200, 900, 1500, 200, 800, "doc/1"), meterSeed);
        var w = Cbor.Writer();
        // chain.md §1's set encoding, as ValidatorSet.Write makes it: [[key, address]].
        w.WriteStartArray(1);
        w.WriteStartArray(2);
        w.WriteByteString(validator.PublicKey);
        w.WriteTextString("127.0.0.1:7001");
        w.WriteEndArray();
        w.WriteEndArray();
        byte[] setEncoding = w.Encode();
        var record = new MeterRecord(meterKey, "house-01", MeterRole.ConnectionPoint, 1, 1_780_000_200, 1500, 200, 800);
        var entries = new SortedDictionary<string, byte[]>(StringComparer.Ordinal)
        {
            [StateKeys.Balance("house-01")] = StateValues.EncodeInt(-1234),
            [StateKeys.Fund] = StateValues.EncodeInt(0),
            [StateKeys.Meter(MeterId)] = record.Encode(),
            [StateKeys.Price] = Price.Encode(),
        };
        byte[][] leaves = entries.Select(e => StateTree.Leaf(e.Key, e.Value)).ToArray();
        byte[][] txs = [reading];
        byte[] fill = new byte[32];
        var header = new BlockHeader(ChainId, 1, 1_780_001_200_000, fill, MerkleTree.Root(txs), MerkleTree.Root(leaves), MerkleTree.Root(new byte[0][]),
            CommunityGrid.Protocol.Crypto.Sha256.Hash(setEncoding), validator.PublicKey, BlockCommits.NoPreviousCommit);
        byte[] certificate = BlockCommits.SignAlone(header, validator).Encode();
        var message = new MeterProofMessage(ChainId, MeterId, header.Encode(), certificate,
            record.Encode(), new InclusionPath(2, 4, MerkleTree.InclusionProof(leaves, 2)),
            -1234, new InclusionPath(0, 4, MerkleTree.InclusionProof(leaves, 0)),
            new InclusionPath(0, 1, MerkleTree.InclusionProof(txs, 0)), null,
            Price, new InclusionPath(3, 4, MerkleTree.InclusionProof(leaves, 3)));
        return (message, setEncoding, reading, meterSeed);
    }

    [Fact]
    public void The_documented_example_is_what_the_gateway_encodes()
    {
        byte[] encoded = Example().Message.Encode();
        Assert.True(Convert.ToHexStringLower(encoded) == FromProtocolDoc("proofs"), "encoded: " + Convert.ToHexStringLower(encoded));
        Assert.Equal(encoded, MeterProofMessage.Decode(encoded).Encode());
    }

    [Fact]
    public void The_meter_verifies_the_example_and_releases_reading_1()
    {
        var (message, setEncoding, reading, meterSeed) = Example();
        var store = new MemoryFileStore();
        var queue = new ReadingQueue(store, new QueueOptions());
        queue.Open();
        queue.Append(1, reading);
        var display = new MeterDisplayState();
        var client = new MeterLightClient(ChainId, MeterId, CommunityGrid.Protocol.Crypto.Ed25519.PublicKeyFromSeed(meterSeed), setEncoding, 1, 4, 2880, queue, display, store);
        ProofOutcome outcome = client.Apply(message.Encode(), 1);
        Assert.True(outcome.IsValid, outcome.Reason);
        Assert.Equal((1L, 1L, -1234L, true), (queue.ReleasedThrough, display.VerifiedHeight, display.BalanceMinor, display.BalanceVerified));
        Assert.Equal((21L, true), (display.PriceMinorPerKwh, display.PriceVerified));
        // One signature check (a set of one); hashes: the header, the meter entry, the balance and the price (leaf + 2 nodes each), the reading (leaf only).
        Assert.Equal((1, 1 + 3 + 3 + 3 + 1), (client.Verifier.Cost.SignatureChecks, client.Verifier.Cost.Sha256Hashes));
    }

    private static string FromProtocolDoc(string name)
    {
        string root = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(root, "CommunityGrid.sln"))) root = Path.GetDirectoryName(root)!;
        string[] lines = File.ReadAllLines(Path.Combine(root, "docs", "protocol.md"));
        int at = Array.IndexOf(lines, "<!-- example: " + name + " -->");
        Assert.True(at >= 0, "docs/protocol.md has no example " + name);
        var hex = new StringBuilder();
        for (int i = at + 2; !lines[i].StartsWith("```", StringComparison.Ordinal); i++)
        {
            string line = lines[i];
            int comment = line.IndexOf('#');
            hex.Append(string.Concat((comment >= 0 ? line[..comment] : line).Where(c => !char.IsWhiteSpace(c))));
        }
        return hex.ToString();
    }
}
