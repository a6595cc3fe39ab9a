using System;
using CommunityGrid.Consensus.Messages;
using CommunityGrid.Formats.Cose;
using CommunityGrid.Formats.Signing;

namespace CommunityGrid.Chain.Transactions;

/// <summary>Builds the evidence transaction a validator submits when it sees another double-sign (<see cref="TxType.Evidence"/>).</summary>
public static class EvidenceTransaction
{
    public static byte[] Create(string chainId, long nonce, DoubleSignEvidence evidence, Ed25519Signer reporter)
    {
        ArgumentNullException.ThrowIfNull(evidence);
        ArgumentNullException.ThrowIfNull(reporter);
        return CoseSign1Codec.Sign(new EvidencePayload(chainId, nonce, evidence.Encode()).Encode(), TxContentTypes.Evidence, reporter);
    }
}
