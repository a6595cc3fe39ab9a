using System.Collections.Generic;
using System.Diagnostics;
using System.Threading.Tasks;

namespace CommunityGrid.Simulation.Pipeline;

/// <summary>The in-process path: a meter's publish lands straight in the gateway's mempool. No broker, no network.</summary>
public sealed class DirectTransport(DirectGateway gateway) : IReadingTransport
{
    private readonly Stopwatch transportTime = new();
    private readonly Stopwatch gatewayTime = new();

    public string Name => "direct";

    public TransportStats Stats
    {
        get
        {
            gateway.Stats.Transport = transportTime.Elapsed;
            gateway.Stats.Gateway = gatewayTime.Elapsed;
            return gateway.Stats;
        }
    }

    public ValueTask SubmitAsync(IReadOnlyList<byte[]> transactions)
    {
        foreach (byte[] tx in transactions) gateway.Receive(tx, null, 0);
        return ValueTask.CompletedTask;
    }

    public ValueTask PublishAsync(string meterId, long sequence, byte[] signedReading)
    {
        transportTime.Start();
        gateway.Receive(signedReading, meterId, sequence);
        transportTime.Stop();
        return ValueTask.CompletedTask;
    }

    public ValueTask<IReadOnlyList<ReadingAck>> AdvanceAsync(long nowMs)
    {
        gatewayTime.Start();
        try
        {
            return ValueTask.FromResult(gateway.Tick(nowMs));
        }
        finally
        {
            gatewayTime.Stop();
        }
    }

    public ValueTask RestartGatewayAsync(long nowMs)
    {
        gatewayTime.Start();
        gateway.Restart();
        gatewayTime.Stop();
        return ValueTask.CompletedTask;
    }

    /// <summary>No broker, no proofs: the direct path releases readings on its acks.</summary>
    public IReadOnlyList<ProofDelivery> TakeProofs() => [];

    public ValueTask DisposeAsync()
    {
        gateway.Dispose();
        return ValueTask.CompletedTask;
    }
}
