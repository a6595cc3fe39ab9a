using System.Threading;

namespace CommunityGrid.Peering.Transport;

/// <summary>Traffic counters of one peer over the life of this process, across its connections.</summary>
internal sealed class PeerCounters
{
    private long bytesIn;
    private long bytesOut;
    private long messagesIn;
    private long messagesOut;

    public long BytesIn => Interlocked.Read(ref bytesIn);
    public long BytesOut => Interlocked.Read(ref bytesOut);
    public long MessagesIn => Interlocked.Read(ref messagesIn);
    public long MessagesOut => Interlocked.Read(ref messagesOut);

    public void Received(int frameBytes, bool isApplication)
    {
        Interlocked.Add(ref bytesIn, frameBytes);
        if (isApplication)
        {
            Interlocked.Increment(ref messagesIn);
        }
    }

    public void Sent(int frameBytes, bool isApplication)
    {
        Interlocked.Add(ref bytesOut, frameBytes);
        if (isApplication)
        {
            Interlocked.Increment(ref messagesOut);
        }
    }
}
