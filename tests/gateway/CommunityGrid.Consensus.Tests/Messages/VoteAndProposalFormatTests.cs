using System;
using System.Formats.Cbor;
using CommunityGrid.Consensus.Messages;
using CommunityGrid.Consensus.Tests.Support;

namespace CommunityGrid.Consensus.Tests.Messages;

public class VoteAndProposalFormatTests
{
    private const string Chain = "street-grid";
    private static readonly BlockId Id = new(new byte[32] { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32 });

    [Fact]
    public void Vote_sign_bytes_are_the_documented_array_with_domain_tag_chain_type_height_round_and_id()
    {
        byte[] bytes = SignedVote.SignBytes(Chain, MessageType.Precommit, 7, 2, Id);
        var reader = new CborReader(bytes, CborConformanceMode.Canonical);
        Assert.Equal(6, reader.ReadStartArray());
        Assert.Equal("communitygrid/consensus/v1", reader.ReadTextString());
        Assert.Equal(Chain, reader.ReadTextString());
        Assert.Equal(3, reader.ReadInt32());
        Assert.Equal(7, reader.ReadInt64());
        Assert.Equal(2, reader.ReadInt32());
        Assert.Equal(Id.ToArray(), reader.ReadByteString());
        reader.ReadEndArray();
        // Fixed prefix, byte for byte: array(6) = 86, text(26) = 78 1a, "communitygrid/consensus/v1".
        Assert.Equal("86781a636f6d6d756e697479677269642f636f6e73656e7375732f7631", Convert.ToHexStringLower(bytes, 0, 29));
        Assert.Equal("f6", Convert.ToHexStringLower(SignedVote.SignBytes(Chain, MessageType.Prevote, 7, 2, null))[^2..]);
    }

    [Fact]
    public void A_vote_round_trips_and_verifies_only_for_its_own_chain_round_and_type()
    {
        using var keys = new TestKeys(1);
        SignedVote vote = SignedVote.Create(Chain, MessageType.Precommit, 7, 2, Id, keys[0]);
        SignedVote decoded = SignedVote.Decode(vote.Encode());
        Assert.True(decoded.SameContent(vote));
        Assert.True(decoded.VerifySignature(Chain));
        Assert.False(decoded.VerifySignature("other-chain"));
        Assert.False(new SignedVote(MessageType.Precommit, 7, 3, Id, vote.Validator, vote.Signature).VerifySignature(Chain));
        Assert.False(new SignedVote(MessageType.Prevote, 7, 2, Id, vote.Validator, vote.Signature).VerifySignature(Chain));
        Assert.False(new SignedVote(MessageType.Precommit, 8, 2, Id, vote.Validator, vote.Signature).VerifySignature(Chain));
        Assert.False(new SignedVote(MessageType.Precommit, 7, 2, null, vote.Validator, vote.Signature).VerifySignature(Chain));
    }

    [Fact]
    public void A_proposal_round_trips_and_its_signature_covers_valid_round_and_time()
    {
        using var keys = new TestKeys(1);
        SignedProposal proposal = SignedProposal.Create(Chain, 7, 3, Id, 1, 1_700_000_000_000, keys[0]);
        SignedProposal decoded = SignedProposal.Decode(proposal.Encode());
        Assert.True(decoded.VerifySignature(Chain));
        Assert.Equal((7L, 3, 1, 1_700_000_000_000L), (decoded.Height, decoded.Round, decoded.ValidRound, decoded.TimeMs));
        Assert.False(new SignedProposal(7, 3, Id, -1, proposal.TimeMs, proposal.Proposer, proposal.Signature).VerifySignature(Chain));
        Assert.False(new SignedProposal(7, 3, Id, 1, proposal.TimeMs + 1, proposal.Proposer, proposal.Signature).VerifySignature(Chain));
    }

    [Fact]
    public void A_vote_is_not_a_proposal_and_a_proposal_is_not_a_vote()
    {
        using var keys = new TestKeys(1);
        byte[] vote = SignedVote.Create(Chain, MessageType.Prevote, 1, 0, Id, keys[0]).Encode();
        byte[] proposal = SignedProposal.Create(Chain, 1, 0, Id, -1, 5, keys[0]).Encode();
        Assert.Throws<ConsensusFormatException>(() => SignedProposal.Decode(vote));
        Assert.Throws<ConsensusFormatException>(() => SignedVote.Decode(proposal));
    }

    [Fact]
    public void Non_deterministic_encodings_trailing_bytes_and_out_of_range_fields_are_rejected()
    {
        using var keys = new TestKeys(1);
        byte[] vote = SignedVote.Create(Chain, MessageType.Prevote, 1, 0, Id, keys[0]).Encode();
        // Height 1 written as a two-byte integer (0x18 0x01) instead of the shortest form.
        byte[] longForm = new byte[vote.Length + 1];
        longForm[0] = vote[0];
        longForm[1] = vote[1];
        longForm[2] = 0x18;
        Array.Copy(vote, 2, longForm, 3, vote.Length - 2);
        Assert.Throws<ConsensusFormatException>(() => SignedVote.Decode(longForm));
        byte[] trailing = new byte[vote.Length + 1];
        vote.CopyTo(trailing, 0);
        Assert.Contains("trailing", Assert.Throws<ConsensusFormatException>(() => SignedVote.Decode(trailing)).Message);
        byte[] heightZero = (byte[])vote.Clone();
        heightZero[2] = 0x00;
        Assert.Contains("height", Assert.Throws<ConsensusFormatException>(() => SignedVote.Decode(heightZero)).Message);
        Assert.Throws<ConsensusFormatException>(() => SignedVote.Decode(new byte[] { 0x80 }));
    }
}
