namespace CommunityGrid.Consensus.Messages;

/// <summary>
/// The three signed message types, numbered in the order a validator signs them within a round, so
/// (height, round, type) orders everything a validator signs (the signer's high-water mark).
/// </summary>
public enum MessageType
{
    Proposal = 1,
    Prevote = 2,
    Precommit = 3,
}
