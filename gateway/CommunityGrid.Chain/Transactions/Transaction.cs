using System;
using System.Formats.Cbor;
using CommunityGrid.Chain.Encoding;
using CommunityGrid.Chain.Validation;
using CommunityGrid.Formats;
using CommunityGrid.Formats.Cose;
using CommunityGrid.Formats.Readings;

namespace CommunityGrid.Chain.Transactions;

/// <summary>
/// A decoded signed transaction. <see cref="Bytes"/> are exactly what was received (a reading exactly as the
/// meter sent it); <see cref="Id"/> is their SHA-256. Decoding checks form and signature but no state.
/// </summary>
public sealed class Transaction
{
    private Transaction(byte[] bytes, byte[] id, TxType type, byte[] signer, bool signatureValid, MeterReading? reading, AdminPayload? admin)
    {
        Bytes = bytes;
        Id = id;
        Type = type;
        Signer = signer;
        SignatureValid = signatureValid;
        Reading = reading;
        Admin = admin;
    }

    public byte[] Bytes { get; }
    public byte[] Id { get; }
    public string IdHex => Hashes.Hex(Id);
    public TxType Type { get; }
    /// <summary>The COSE kid: the signer's Ed25519 public key.</summary>
    public byte[] Signer { get; }
    public bool SignatureValid { get; }
    public MeterReading? Reading { get; }
    public AdminPayload? Admin { get; }
    public string ChainId => Reading?.ChainId ?? Admin!.ChainId;

    /// <summary>Decodes; a null result comes with the rejection that explains it. The signature is checked through <see cref="VerifiedSignatures.Shared"/>.</summary>
    public static Transaction? TryDecode(byte[] bytes, out TxOutcome? rejection) => TryDecode(bytes, out rejection, VerifiedSignatures.Shared);

    /// <summary>
    /// Decodes as <see cref="TryDecode(byte[], out TxOutcome?)"/>; <paramref name="verified"/> null: the signature is
    /// verified here and remembered nowhere, for a caller that decodes each transaction exactly once (the full replay
    /// of a stored chain, where a shared cache would only cost a lookup and an insert per transaction; issue 18).
    /// </summary>
    public static Transaction? TryDecode(byte[] bytes, out TxOutcome? rejection, VerifiedSignatures? verified)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        rejection = null;
        string? contentType = PeekContentType(bytes);
        if (contentType is null)
        {
            rejection = TxOutcome.Reject(RejectionReason.MalformedCbor, "not a COSE_Sign1 message with a protected content type");
            return null;
        }
        TxType? type = TxContentTypes.TypeOf(contentType);
        if (type is null or TxType.Split)
        {
            rejection = TxOutcome.Reject(RejectionReason.UnknownTxType, $"content type \"{contentType}\" is not accepted by this chain");
            return null;
        }
        byte[] id = Hashes.Sha256(bytes);
        try
        {
            if (type == TxType.Reading)
            {
                // Decoded in place (slices of bytes, no copies of its parts), in the order SignedReadingCodec.Open checks:
                // the message, then the reading, then the signature. Every reading is decoded at intake and again in its block.
                CoseSign1View reading = CoseSign1Codec.DecodeView(bytes, ContentTypes.Reading);
                MeterReading decoded = ReadingCbor.Decode(reading.Payload);
                bool readingSignatureValid = verified is null ? reading.VerifySignature() : verified.Check(id, reading, static m => m.VerifySignature());
                return new Transaction(bytes, id, TxType.Reading, reading.KeyId.ToArray(), readingSignatureValid, decoded, null);
            }
            DecodedCoseSign1 message = CoseSign1Codec.Decode(bytes, contentType);
            AdminPayload payload = AdminPayload.Decode(type.Value, message.Payload);
            bool signatureValid = verified is null ? message.VerifySignature() : verified.Check(id, message, static m => m.VerifySignature());
            return new Transaction(bytes, id, type.Value, message.KeyId, signatureValid, null, payload);
        }
        catch (Exception e) when (e is ProtocolFormatException or ChainFormatException)
        {
            rejection = TxOutcome.Reject(RejectionReason.MalformedCbor, e.Message);
            return null;
        }
    }

    /// <summary>
    /// The reading a transaction of a final block carries, or null for an administrative one: decoded without hashing
    /// it or checking its signature, which the block's execution did (what the acks, metrics and proofs of a committed
    /// block need, once per block; issue 18).
    /// </summary>
    /// <exception cref="ProtocolFormatException">the bytes are not a reading although they say so: not a transaction of a final block.</exception>
    public static MeterReading? ReadingInFinalBlock(byte[] bytes)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        return PeekContentType(bytes) == ContentTypes.Reading ? ReadingCbor.Decode(CoseSign1Codec.DecodeView(bytes, ContentTypes.Reading).Payload) : null;
    }

    /// <summary>Decodes a transaction already in a block; there, anything undecodable makes the block invalid.</summary>
    public static Transaction Decode(byte[] bytes) =>
        TryDecode(bytes, out TxOutcome? rejection) ?? throw new ChainFormatException($"transaction: {rejection}");

    private static bool SkipAndFalse(CborReader reader)
    {
        reader.SkipValue();
        return false;
    }

    /// <summary>
    /// The content type from the protected header, read leniently only to choose the strict decoder. It runs for every
    /// transaction decoded, so it reads the header in place and returns the reading's content type without making a
    /// string of it (an allocation profile of ingest, docs/operations.md, 2026-12-05); any other text is decoded.
    /// </summary>
    private static string? PeekContentType(byte[] bytes)
    {
        try
        {
            ReadOnlyMemory<byte> protectedHeader;
            CborReader reader = ReusableCborReaders.Rent(bytes, CborConformanceMode.Lax);
            try
            {
                reader.ReadTag();
                reader.ReadStartArray();
                protectedHeader = reader.PeekState() == CborReaderState.StartIndefiniteLengthByteString
                    ? reader.ReadByteString()
                    : reader.ReadDefiniteLengthByteString();
            }
            finally
            {
                ReusableCborReaders.Return(reader);
            }
            CborReader header = ReusableCborReaders.Rent(protectedHeader, CborConformanceMode.Lax);
            try
            {
                int? pairs = header.ReadStartMap();
                for (int i = 0; i < (pairs ?? 0); i++)
                {
                    bool isContentType = header.PeekState() == CborReaderState.UnsignedInteger
                        ? header.ReadUInt64() == CoseSign1Codec.HeaderContentType
                        : SkipAndFalse(header);
                    if (isContentType && header.PeekState() == CborReaderState.TextString) return ContentTypeText(header.ReadDefiniteLengthTextStringBytes().Span);
                    header.SkipValue();
                }
                return null;
            }
            finally
            {
                ReusableCborReaders.Return(header);
            }
        }
        catch (System.Text.DecoderFallbackException)
        {
            // Not UTF-8, as CborReader.ReadTextString would have refused it.
            return null;
        }
        catch (Exception e) when (e is CborContentException or InvalidOperationException or FormatException)
        {
            return null;
        }
    }

    private static readonly byte[] ReadingContentTypeUtf8 = System.Text.Encoding.UTF8.GetBytes(ContentTypes.Reading);
    private static readonly System.Text.UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private static string ContentTypeText(ReadOnlySpan<byte> utf8) =>
        utf8.SequenceEqual(ReadingContentTypeUtf8) ? ContentTypes.Reading : StrictUtf8.GetString(utf8);
}
