using System;
using CommunityGrid.Protocol.Cbor;

namespace CommunityGrid.Meter.LightClient
{
    /// <summary>
    /// A commit certificate (docs/consensus.md §2.3) decoded strictly:
    /// <c>[height (uint), round (uint), blockId (bstr32), [[validator key (bstr32), signature (bstr64)] ...]]</c>.
    /// Signer order is judged by <see cref="LightClientVerifier"/> so that a signer twice gets its own verdict.
    /// </summary>
    internal sealed class CertificateReader
    {
        private const long MaxRound = 2147483647;

        private CertificateReader(long height, long round, byte[] blockId, byte[][] signers, byte[][] signatures)
        {
            Height = height;
            Round = round;
            BlockId = blockId;
            Signers = signers;
            Signatures = signatures;
        }

        public long Height { get; }
        public long Round { get; }
        public byte[] BlockId { get; }
        public byte[][] Signers { get; }
        public byte[][] Signatures { get; }

        /// <exception cref="FormatException">not a certificate in deterministic CBOR.</exception>
        public static CertificateReader Decode(byte[] bytes)
        {
            CborDecoder decoder = new CborDecoder(bytes);
            if (decoder.ReadArrayHeader() != 4) throw new FormatException("a commit certificate is [height, round, block id, signatures]");
            long height = decoder.ReadUnsigned();
            if (height < 1) throw new FormatException("certificate height is 0; heights start at 1");
            long round = decoder.ReadUnsigned();
            if (round > MaxRound) throw new FormatException("certificate round " + round + " is above 2^31-1");
            byte[] blockId = decoder.ReadByteString();
            if (blockId.Length != 32) throw new FormatException("certificate block id is " + blockId.Length + " bytes, not 32");
            int count = decoder.ReadArrayHeader();
            byte[][] signers = new byte[count][];
            byte[][] signatures = new byte[count][];
            for (int i = 0; i < count; i++)
            {
                if (decoder.ReadArrayHeader() != 2) throw new FormatException("certificate signature " + i + " is not [key, signature]");
                signers[i] = decoder.ReadByteString();
                if (signers[i].Length != 32) throw new FormatException("certificate signer " + i + " key is " + signers[i].Length + " bytes, not 32");
                signatures[i] = decoder.ReadByteString();
                if (signatures[i].Length != 64) throw new FormatException("certificate signature " + i + " is " + signatures[i].Length + " bytes, not 64");
            }
            decoder.ExpectEnd();
            return new CertificateReader(height, round, blockId, signers, signatures);
        }
    }
}
