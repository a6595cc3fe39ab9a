using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Formats.Cbor;
using CommunityGrid.Chain.Encoding;
using CommunityGrid.Chain.Transactions;
using CommunityGrid.Chain.Validation;
using CommunityGrid.Formats;
using CommunityGrid.Formats.Cose;
using CommunityGrid.Formats.Readings;
using CommunityGrid.Formats.Signing;
using CommunityGrid.Node.Ingest;

namespace CommunityGrid.Gateway.Fuzz;

/// <summary>One input that made a decoder throw something other than its format exception, or take too long.</summary>
public sealed record FuzzFinding(string Decoder, string Problem, string InputHex)
{
    public override string ToString() => $"{Decoder}: {Problem}\n  input {InputHex}";
}

/// <summary>The figures of a fuzz run: inputs tried, crashes (unexpected exceptions) and hangs (inputs slower than the threshold).</summary>
public sealed record FuzzReport(long Inputs, long Crashes, long Hangs, long AcceptedTransactions, TimeSpan Elapsed, IReadOnlyList<FuzzFinding> Findings);

/// <summary>
/// Feeds generated inputs to every gateway decoder a meter (MQTT) or client (HTTP) can reach, and records every
/// exception that is not the decoder's format exception. Inputs are mutations of valid signed transactions of
/// every type plus structure-aware rebuilds whose headers and payload fields carry extreme integers (±2^64, 2^63,
/// 2^32 …), the kind of value a byte-level mutation rarely produces but that broke COSE decoding once (issue 11,
/// case 4). Deterministic for a given seed.
/// </summary>
public sealed class GatewayDecoderFuzzer
{
    private const string ChainId = "fuzz-chain";
    private const int MaxFindingsKept = 20;

    // Encoded CBOR integers at and around every width boundary, signed and unsigned, including -2^64 and 2^64-1.
    private static readonly byte[][] ExtremeIntegers =
    [
        [0x00], [0x17], [0x18, 0xff], [0x19, 0xff, 0xff], [0x1a, 0xff, 0xff, 0xff, 0xff], [0x1a, 0x80, 0, 0, 0],
        [0x1b, 0x7f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff], [0x1b, 0x80, 0, 0, 0, 0, 0, 0, 0],
        [0x1b, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff],
        [0x20], [0x27], [0x37], [0x38, 0xff], [0x3a, 0x7f, 0xff, 0xff, 0xff], [0x3a, 0xff, 0xff, 0xff, 0xff],
        [0x3b, 0x7f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff], [0x3b, 0x80, 0, 0, 0, 0, 0, 0, 0],
        [0x3b, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff],
        // Not integers where one is expected: a float, a simple value, a huge byte-string length, an indefinite map.
        [0xfb, 0x7f, 0xf0, 0, 0, 0, 0, 0, 0], [0xf7], [0x5b, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff], [0xbf, 0xff],
    ];

    private static readonly byte[] InterestingBytes = [0x00, 0x17, 0x18, 0x19, 0x1a, 0x1b, 0x1f, 0x20, 0x38, 0x3b, 0x40, 0x5b, 0x5f, 0x60, 0x7b, 0x7f, 0x80, 0x9b, 0x9f, 0xa0, 0xbb, 0xbf, 0xc0, 0xd2, 0xf4, 0xf7, 0xf9, 0xfb, 0xff];

    private static readonly string[] ContentTypesUsed =
    [
        ContentTypes.Reading, TxContentTypes.EnrolMeter, TxContentTypes.AdmitMember, TxContentTypes.Payment, TxContentTypes.Proposal,
    ];

    private readonly byte[][] validMessages;
    private readonly Ed25519Signer signer;
    private readonly TimeSpan hangThreshold;

    /// <param name="hangThreshold">An input whose decoding takes longer than this counts as a hang.</param>
    public GatewayDecoderFuzzer(TimeSpan hangThreshold)
    {
        this.hangThreshold = hangThreshold;
        signer = Ed25519Signer.FromSeed(new byte[Ed25519Signer.SeedSize]);
        byte[] otherKey = new byte[32];
        otherKey[0] = 7;
        validMessages =
        [
            SignedReadingCodec.Create(new MeterReading(ChainId, "m01", 42, 1_800_000_000, 900, 348, 264, 12, "1.0.0"), signer),
            CoseSign1Codec.Sign(new EnrolMeterPayload(ChainId, 5, "m01", otherKey, "h01", MeterRole.ConnectionPoint, 1, 2, 3).Encode(), TxContentTypes.EnrolMeter, signer),
            CoseSign1Codec.Sign(new AdmitMemberPayload(ChainId, 6, "h02", otherKey).Encode(), TxContentTypes.AdmitMember, signer),
            CoseSign1Codec.Sign(new PaymentPayload(ChainId, 7, "h01", PaymentKind.Deposit, 2500, "SEPA 2026-04").Encode(), TxContentTypes.Payment, signer),
        ];
    }

    public FuzzReport Run(int seed, long inputs)
    {
        var random = new Random(seed);
        var findings = new List<FuzzFinding>();
        long crashes = 0, hangs = 0, accepted = 0;
        Stopwatch total = Stopwatch.StartNew();
        for (long i = 0; i < inputs; i++)
        {
            byte[] input = Next(random, i);
            long started = Stopwatch.GetTimestamp();
            FuzzFinding? crash = Check(input, ref accepted);
            TimeSpan took = Stopwatch.GetElapsedTime(started);
            if (crash is not null)
            {
                crashes++;
                if (findings.Count < MaxFindingsKept) findings.Add(crash);
            }
            if (took > hangThreshold)
            {
                hangs++;
                if (findings.Count < MaxFindingsKept) findings.Add(new FuzzFinding("all", $"took {took.TotalMilliseconds:F0} ms", Convert.ToHexStringLower(input)));
            }
        }
        return new FuzzReport(inputs, crashes, hangs, accepted, total.Elapsed, findings);
    }

    /// <summary>The input the fuzzer would try as its <paramref name="index"/>-th: a mutation or a structure-aware rebuild.</summary>
    private byte[] Next(Random random, long index)
    {
        byte[] valid = validMessages[random.Next(validMessages.Length)];
        return (index % 4) switch
        {
            0 => Mutate(random, valid),
            1 => RebuildWithOddHeader(random),
            2 => RebuildWithOddPayload(random),
            _ => Mutate(random, Mutate(random, valid)),
        };
    }

    /// <summary>Runs every decoder on <paramref name="input"/>; returns the first unexpected exception, or null.</summary>
    public FuzzFinding? Check(byte[] input, ref long acceptedTransactions)
    {
        string hex = Convert.ToHexStringLower(input);
        foreach (string contentType in ContentTypesUsed)
        {
            FuzzFinding? found = Expect<ProtocolFormatException>("CoseSign1Codec.Decode(" + contentType + ")", hex, () => CoseSign1Codec.Decode(input, contentType));
            if (found is not null) return found;
        }
        FuzzFinding? finding =
            Expect<ProtocolFormatException>("SignedReadingCodec.Open", hex, () => SignedReadingCodec.Open(input))
            ?? Expect<ProtocolFormatException>("ReadingCbor.Decode", hex, () => ReadingCbor.Decode(input))
            ?? Expect<ChainFormatException>("AdminPayload.Decode(EnrolMeter)", hex, () => AdminPayload.Decode(TxType.EnrolMeter, input))
            ?? Expect<ChainFormatException>("AdminPayload.Decode(AdmitMember)", hex, () => AdminPayload.Decode(TxType.AdmitMember, input))
            ?? Expect<ChainFormatException>("AdminPayload.Decode(Payment)", hex, () => AdminPayload.Decode(TxType.Payment, input))
            ?? Expect<ChainFormatException>("Transaction.Decode", hex, () => Transaction.Decode(input))
            ?? Expect<NoException>("LenientReadingPeek.TrySequence", hex, () => LenientReadingPeek.TrySequence(input));
        if (finding is not null) return finding;
        try
        {
            TxOutcome? rejection = TransactionScreen.Screen(input, ChainId, out Transaction? tx);
            if (rejection is null && tx is not null) acceptedTransactions++;
            if (rejection is null && (tx is null || !tx.SignatureValid)) return new FuzzFinding("TransactionScreen.Screen", "let a transaction through whose signature does not verify", hex);
            return null;
        }
        catch (Exception e)
        {
            return new FuzzFinding("TransactionScreen.Screen", e.GetType().Name + ": " + e.Message, hex);
        }
    }

    private static FuzzFinding? Expect<TFormat>(string decoder, string hex, Action decode)
        where TFormat : Exception
    {
        try
        {
            decode();
            return null;
        }
        catch (TFormat)
        {
            return null;
        }
        catch (Exception e)
        {
            return new FuzzFinding(decoder, e.GetType().Name + ": " + e.Message, hex);
        }
    }

    private static byte[] Mutate(Random random, byte[] input)
    {
        byte[] data = (byte[])input.Clone();
        int edits = 1 + random.Next(3);
        for (int e = 0; e < edits && data.Length > 0; e++)
        {
            int at = random.Next(data.Length);
            switch (random.Next(8))
            {
                case 0: data[at] ^= (byte)(1 << random.Next(8)); break;
                case 1: data[at] = InterestingBytes[random.Next(InterestingBytes.Length)]; break;
                case 2: data[at] = (byte)random.Next(256); break;
                case 3: data = data[..at]; break;
                case 4: data = [.. data[..at], InterestingBytes[random.Next(InterestingBytes.Length)], .. data[at..]]; break;
                case 5: data = [.. data[..at], .. data[(at + 1)..]]; break;
                case 6: data = [.. data[..at], .. ExtremeIntegers[random.Next(ExtremeIntegers.Length)], .. data[Math.Min(data.Length, at + 1)..]]; break;
                default: data = [.. data, .. data[at..]]; break;
            }
        }
        return data;
    }

    private byte[] RandomItem(Random random) => random.Next(3) == 0
        ? Mutate(random, ExtremeIntegers[random.Next(ExtremeIntegers.Length)])
        : ExtremeIntegers[random.Next(ExtremeIntegers.Length)];

    /// <summary>A COSE_Sign1 around a valid payload whose protected header has an odd alg or content type, or an extra entry.</summary>
    private byte[] RebuildWithOddHeader(Random random)
    {
        string contentType = ContentTypesUsed[random.Next(ContentTypesUsed.Length)];
        int shape = random.Next(4);
        // Built byte by byte: CborWriter refuses to embed the malformed items this is after.
        var header = new List<byte> { (byte)(0xa0 | (shape == 3 ? 3 : 2)), CoseSign1Codec.HeaderAlgorithm };
        header.AddRange(shape == 0 ? [0x27] : RandomItem(random));
        header.Add(CoseSign1Codec.HeaderContentType);
        header.AddRange(shape == 2 ? RandomItem(random) : Text(contentType));
        if (shape == 3)
        {
            header.AddRange(RandomItem(random));
            header.AddRange(RandomItem(random));
        }
        return Envelope([.. header], PayloadOf(validMessages[random.Next(validMessages.Length)]));
    }

    /// <summary>A correctly signed COSE_Sign1 of a known type whose payload map has extreme values in random fields.</summary>
    private byte[] RebuildWithOddPayload(Random random)
    {
        int type = random.Next(4);
        int fields = type switch { 0 => 9, 1 => 9, 2 => 4, _ => 6 };
        var payload = new List<byte> { (byte)(0xa0 | fields) };
        for (int key = 1; key <= fields; key++)
        {
            payload.Add((byte)key);
            if (random.Next(3) == 0) payload.AddRange(RandomItem(random));
            else if (key == 1) payload.AddRange(Text(ChainId));
            else payload.AddRange(ExtremeIntegers[random.Next(3)]);
        }
        return CoseSign1Codec.Sign([.. payload], ContentTypesUsed[type], signer);
    }

    private static byte[] Text(string text)
    {
        var writer = new CborWriter();
        writer.WriteTextString(text);
        return writer.Encode();
    }

    private byte[] Envelope(byte[] protectedHeader, byte[] payload)
    {
        var writer = new CborWriter(CborConformanceMode.Lax);
        writer.WriteTag((CborTag)CoseSign1Codec.CoseSign1Tag);
        writer.WriteStartArray(4);
        writer.WriteByteString(protectedHeader);
        writer.WriteStartMap(1);
        writer.WriteInt32(CoseSign1Codec.HeaderKeyId);
        writer.WriteByteString(signer.PublicKey);
        writer.WriteEndMap();
        writer.WriteByteString(payload);
        writer.WriteByteString(signer.Sign(CoseSign1Codec.SigStructure(protectedHeader, payload)));
        writer.WriteEndArray();
        return writer.Encode();
    }

    private static byte[] PayloadOf(byte[] message)
    {
        var reader = new CborReader(message);
        reader.ReadTag();
        reader.ReadStartArray();
        reader.SkipValue();
        reader.SkipValue();
        return reader.ReadByteString();
    }

    /// <summary>For decoders that must not throw at all.</summary>
    private sealed class NoException : Exception
    {
    }
}
