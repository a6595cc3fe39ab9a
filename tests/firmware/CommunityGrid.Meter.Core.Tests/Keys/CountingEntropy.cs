using CommunityGrid.Meter.Keys;

namespace CommunityGrid.Meter.Tests.Keys;

/// <summary>Predictable entropy that never repeats: every byte is a running counter, so two draws give two different seeds.</summary>
public sealed class CountingEntropy : IEntropySource
{
    private int _next;

    public int Draws { get; private set; }

    public void Fill(byte[] buffer)
    {
        Draws++;
        for (int i = 0; i < buffer.Length; i++) buffer[i] = (byte)(_next++ ^ (_next >> 8));
    }
}
