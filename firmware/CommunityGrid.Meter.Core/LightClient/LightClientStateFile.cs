using System;
using CommunityGrid.Meter.Storage;
using CommunityGrid.Protocol.Cbor;

namespace CommunityGrid.Meter.LightClient
{
    /// <summary>
    /// What the light client needs across a restart, in an <see cref="AlternatingSlotFile"/> (a power cut leaves the
    /// previous copy): CBOR <c>[verified-at interval, trusted set encoding, last verified header bytes or null]</c>.
    /// Written only after a verification succeeded, so what is read back was verified by this meter.
    /// </summary>
    public sealed class LightClientStateFile
    {
        public const string FileName = "lightclient";

        private readonly AlternatingSlotFile _file;

        public LightClientStateFile(IFileStore store)
        {
            _file = new AlternatingSlotFile(store, FileName);
        }

        /// <summary>The header bytes the last <see cref="Restore"/> put back, or null.</summary>
        public byte[]? RestoredHeader { get; private set; }

        /// <summary>Why the stored state was not used (damaged), or null.</summary>
        public string? Problem { get; private set; }

        /// <summary>Puts the stored state into <paramref name="verifier"/>; false (verifier untouched) when none or damaged.</summary>
        public bool Restore(LightClientVerifier verifier)
        {
            ArgumentNullException.ThrowIfNull(verifier);
            Problem = null;
            byte[]? payload = _file.Load();
            if (_file.Problem != null) Problem = _file.Problem;
            if (payload == null) return false;
            try
            {
                CborDecoder decoder = new CborDecoder(payload);
                if (decoder.ReadArrayHeader() != 3) throw new FormatException("the state is [interval, set, header]");
                long atInterval = decoder.ReadInt64();
                TrustedValidatorSet set = TrustedValidatorSet.FromEncoding(decoder.ReadByteString());
                LightHeader? header = null;
                byte[]? headerBytes = null;
                if (decoder.PeekKind() == CborItemKind.Null) decoder.ReadNull();
                else header = LightHeader.Decode(headerBytes = decoder.ReadByteString());
                decoder.ExpectEnd();
                verifier.Restore(set, header, atInterval);
                RestoredHeader = headerBytes;
                return true;
            }
            catch (FormatException e)
            {
                Problem = FileName + " does not decode (" + e.Message + "); starting from the configured validator set";
                return false;
            }
        }

        /// <exception cref="StorageException">not written; the previous copy stays.</exception>
        public void Save(LightClientVerifier verifier, byte[]? latestHeader)
        {
            ArgumentNullException.ThrowIfNull(verifier);
            byte[] set = verifier.TrustedSet.Encoding;
            CborEncoder encoder = new CborEncoder(32 + set.Length + (latestHeader == null ? 0 : latestHeader.Length));
            encoder.WriteArrayHeader(3);
            encoder.WriteInt64(verifier.VerifiedAtInterval);
            encoder.WriteByteString(set);
            if (latestHeader == null) encoder.WriteNull();
            else encoder.WriteByteString(latestHeader);
            byte[] payload = encoder.ToArray();
            if (payload.Length > AlternatingSlotFile.MaxPayloadBytes)
            {
                throw new StorageException("light-client state of " + payload.Length + " bytes does not fit a slot of " + AlternatingSlotFile.MaxPayloadBytes);
            }
            _file.Save(payload);
        }
    }
}
