using System;
using CommunityGrid.Chain.Blocks;
using CommunityGrid.Chain.Encoding;
using CommunityGrid.Peering;
using CommunityGrid.Storage;
using Microsoft.Extensions.Logging;

namespace CommunityGrid.Node.Consensus;

/// <summary>
/// Block sync (docs/consensus.md §5): every node says its height once a second; a node behind asks the peer that is
/// ahead for the next blocks, at most <see cref="SyncBatch"/> at a time, and appends each only if its commit verifies
/// against the set it knows and it replays (<see cref="ChainStore.Append(Block)"/>): a peer cannot make it store
/// anything the validators did not commit.
/// </summary>
internal sealed partial class ConsensusDriver
{
    private void SendStatus(PeerKey peer) => network.Send(peer, ConsensusWire.SyncChannel, ConsensusWire.Status(TipHeight));

    private void OnSyncMessage(PeerMessage message)
    {
        SyncMessage decoded;
        try
        {
            decoded = ConsensusWire.DecodeSync(message.Payload);
        }
        catch (ChainFormatException e)
        {
            logger.LogWarning("peer {Peer} sent a malformed sync message: {Error}", message.From, e.Message);
            return;
        }
        switch (ConsensusWire.KindOf(message.Payload))
        {
            case ConsensusWire.StatusKind:
                peerHeights[message.From] = decoded.Height;
                long tip = TipHeight;
                if (decoded.Height > tip) RequestBlocks(message.From, tip + 1, decoded.Height);
                break;
            case ConsensusWire.RequestKind:
                ServeBlocks(message.From, decoded.Height, Math.Clamp(decoded.Count, 0, SyncBatch));
                break;
            case ConsensusWire.BlockKind:
                AppendSynced(message.From, decoded.Block!);
                break;
        }
    }

    private void RequestBlocks(PeerKey peer, long from, long to)
    {
        long now = elapsed.ElapsedMilliseconds;
        // One outstanding request at a time; a lost answer is asked again after a second.
        if (now - syncRequestedAtMs < SyncRetryMs) return;
        syncRequestedAtMs = now;
        int count = (int)Math.Min(SyncBatch, to - from + 1);
        logger.LogInformation("catching up: asking {Peer} for blocks {From}..{To}", peer, from, from + count - 1);
        network.Send(peer, ConsensusWire.SyncChannel, ConsensusWire.Request(from, count));
    }

    private void ServeBlocks(PeerKey peer, long from, int count)
    {
        for (long h = Math.Max(1, from); h < from + count; h++)
        {
            StoredBlock? stored;
            lock (storeLock) stored = store.GetBlock(h);
            if (stored is null) return;
            if (!network.Send(peer, ConsensusWire.SyncChannel, ConsensusWire.Block(stored.Block))) return;
        }
    }

    private void AppendSynced(PeerKey peer, Block block)
    {
        lock (storeLock)
        {
            if (block.Height != store.Height + 1) return; // an answer to an older request, or out of order: ignore
            try
            {
                store.Append(block);
            }
            catch (BlockVerificationException e)
            {
                logger.LogWarning("peer {Peer} sent block {Height} that does not verify: {Error}", peer, block.Height, e.Message);
                return;
            }
        }
        syncRequestedAtMs = -SyncRetryMs;
        logger.LogInformation("caught up block {Height} from {Peer} (round {Round})", block.Height, peer, block.Commit.Round);
        if (startedHeight != 0 && startedHeight <= block.Height) startedHeight = 0;
        Status = Status with { LastCommitMs = clock.NowMs };
        committed.Committed(block, block.Commit.Round);
        if (peerHeights.TryGetValue(peer, out long theirs) && theirs > block.Height) RequestBlocks(peer, block.Height + 1, theirs);
        MaybeStartHeight();
    }
}
