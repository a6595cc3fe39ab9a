using System;
using System.Formats.Cbor;

namespace CommunityGrid.Formats
{
    /// <summary>
    /// Turns System.Formats.Cbor's exceptions (CborContentException for non-conforming data,
    /// InvalidOperationException for an item of an unexpected type, OverflowException for an integer that does not
    /// fit the type read, e.g. alg = 2^64-1 read as int64) into <see cref="ProtocolFormatException"/>,
    /// and checks what CborReader leaves to the caller: item types and the absence of trailing bytes.
    /// </summary>
    internal sealed class StrictCbor
    {
        private readonly string what;
        private readonly int inputLength;
        private readonly ReadOnlyMemory<byte> input;
        private bool ran;

        public StrictCbor(string what, ReadOnlyMemory<byte> input, CborConformanceMode mode)
        {
            this.what = what;
            inputLength = input.Length;
            this.input = input;
            Reader = ReusableCborReaders.Rent(input, mode);
        }

        public CborReader Reader { get; }

        private int Offset => inputLength - Reader.BytesRemaining;

        /// <summary>The input from the reader's position on (what it has not read yet).</summary>
        public ReadOnlySpan<byte> Rest => input.Span[Offset..];

        /// <summary>Runs <paramref name="read"/> over the input, once: the reader goes back to <see cref="ReusableCborReaders"/> afterwards.</summary>
        public T Run<T>(Func<T> read) => Run(read, static (_, read) => read());

        /// <summary>As <see cref="Run{T}(Func{T})"/>, with what <paramref name="read"/> needs passed in, so a static lambda allocates no closure per decode.</summary>
        public T Run<TState, T>(TState state, Func<StrictCbor, TState, T> read)
        {
            ArgumentNullException.ThrowIfNull(read);
            if (ran) throw new InvalidOperationException("StrictCbor.Run runs once: its reader has gone back to ReusableCborReaders");
            ran = true;
            try
            {
                T result = read(this, state);
                if (Reader.BytesRemaining != 0)
                {
                    throw new ProtocolFormatException($"{what}: {Reader.BytesRemaining} trailing byte(s) after the top-level item at byte offset {Offset}");
                }
                return result;
            }
            catch (CborContentException e)
            {
                throw new ProtocolFormatException($"{what}: not deterministic CBOR of the protocol's subset near byte offset {Offset}: {e.Message}", e);
            }
            catch (InvalidOperationException e)
            {
                throw new ProtocolFormatException($"{what}: unexpected CBOR structure near byte offset {Offset}: {e.Message}", e);
            }
            catch (OverflowException e)
            {
                throw new ProtocolFormatException($"{what}: an integer near byte offset {Offset} is outside the range this field allows", e);
            }
            finally
            {
                ReusableCborReaders.Return(Reader);
            }
        }

        public void Expect(CborReaderState wanted, string problem)
        {
            CborReaderState state = Reader.PeekState();
            if (state != wanted)
            {
                throw new ProtocolFormatException($"{what}: {problem}, found {state} at byte offset {Offset}");
            }
        }

        public ProtocolFormatException Problem(string problem) => new($"{what}: {problem} (near byte offset {Offset})");
    }
}
