using System;

namespace CommunityGrid.Protocol.Cose
{
    /// <summary>Well-formed CBOR that is not a COSE_Sign1 of this protocol's shape (docs/protocol.md, "COSE_Sign1").</summary>
    public class CoseFormatException : FormatException
    {
        public CoseFormatException(string problem)
            : base("COSE_Sign1: " + problem)
        {
        }
    }

    /// <summary>A COSE_Sign1 whose signature does not verify under its kid.</summary>
    public class CoseSignatureException : Exception
    {
        public CoseSignatureException(string problem)
            : base("COSE_Sign1: " + problem)
        {
        }
    }
}
