using System;
using System.IO;
using CommunityGrid.Api.Json;
using CommunityGrid.Api.Tests.Support;
using CommunityGrid.Chain.Blocks;
using CommunityGrid.Chain.Encoding;
using CommunityGrid.Chain.Tests.Support;
using CommunityGrid.Chain.Transactions;
using CommunityGrid.Consensus;
using CommunityGrid.Consensus.Messages;
using CommunityGrid.Formats.Signing;
using CommunityGrid.Storage;

namespace CommunityGrid.Api.Tests;

/// <summary>GET /validators per validator: the last block its precommit is in and the offences recorded against it.</summary>
public sealed class ValidatorActivityTests
{
    private static DoubleSignEvidence Equivocation(Ed25519Signer offender, int round)
    {
        SignedVote a = SignedVote.Create(TestCommunity.ChainId, MessageType.Prevote, 5, round, new BlockId(Filled(1)), offender);
        SignedVote b = SignedVote.Create(TestCommunity.ChainId, MessageType.Prevote, 5, round, new BlockId(Filled(2)), offender);
        return DoubleSignEvidence.TryCreate(a, b)!;
    }

    private static byte[] Filled(byte value)
    {
        var bytes = new byte[32];
        Array.Fill(bytes, value);
        return bytes;
    }

    [Fact]
    public void Each_validator_shows_its_last_signed_block_and_the_evidence_recorded_against_it()
    {
        string directory = Directory.CreateTempSubdirectory("cgrid-api-validators-").FullName;
        try
        {
            using var c = new TestCommunity().WithMeters();
            // Two offences (two rounds) recorded against the community's validator, reported by itself.
            c.Produce(TestCommunity.EndOf(0), EvidenceTransaction.Create(TestCommunity.ChainId, 1, Equivocation(c.Validator, 1), c.Validator));
            c.Produce(TestCommunity.EndOf(1), EvidenceTransaction.Create(TestCommunity.ChainId, 2, Equivocation(c.Validator, 2), c.Validator));
            using (ChainStore store = ChainStore.Open(Path.Combine(directory, "chain.db"), c.Genesis))
            {
                foreach (Block block in c.Blocks) store.Append(block);
                using var server = new ApiServer(new StoreBackend(store, c.Validator));
                ValidatorsResponse v = Http.Get(server.Client, "/validators", ApiJsonContext.Default.ValidatorsResponse);
                ValidatorJson only = Assert.Single(v.Validators);
                Assert.Equal(Hashes.Hex(c.Validator.PublicKey), only.PublicKey);
                Assert.Equal(2, only.Evidence);
                Assert.Equal(store.Height, only.LastSignedHeight);
            }
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
