using System;
using CommunityGrid.Consensus.Signing;

namespace CommunityGrid.Consensus.Tests.Support;

/// <summary>
/// The simulator's "disk": the object outlives a simulated crash, so what was saved is what a restarted
/// node loads. <see cref="FailNextSave"/> models a crash inside Save (before the write became durable).
/// </summary>
public sealed class MemorySignStateStore : ISignStateStore
{
    private byte[]? saved;

    public bool FailNextSave { get; set; }

    public int Saves { get; private set; }

    public SignState? Load() => saved is null ? null : SignState.Decode(saved);

    public void Save(SignState state)
    {
        if (FailNextSave)
        {
            FailNextSave = false;
            throw new SimulatedCrashException("crash before the sign state became durable");
        }
        saved = state.Encode();
        Saves++;
    }
}

public sealed class SimulatedCrashException(string message) : Exception(message);
