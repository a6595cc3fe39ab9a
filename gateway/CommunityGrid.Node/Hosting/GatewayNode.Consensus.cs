using System;
using System.Collections.Generic;
using System.Linq;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using CommunityGrid.Api;
using CommunityGrid.Chain.Blocks;
using CommunityGrid.Chain.Transactions;
using CommunityGrid.Chain.Validation;
using CommunityGrid.Consensus.Signing;
using CommunityGrid.Formats.Signing;
using CommunityGrid.Node.Consensus;
using CommunityGrid.Node.Ingest;
using CommunityGrid.Node.Mempool;
using CommunityGrid.Peering;
using CommunityGrid.Peering.Gossip;
using Microsoft.Extensions.Logging;

namespace CommunityGrid.Node.Hosting;

/// <summary>A gateway of a validator set of several: peers, transaction gossip and the consensus driver instead of production alone.</summary>
public sealed partial class GatewayNode
{
    private TransactionGossip? gossip;
    private TransactionGossip? adminGossip;
    private PeerLinks? peerLinks;
    private CommittedBlocks? committedBlocks;
    private bool wasMember;

    /// <summary>The consensus figures for /status and /metrics; null for a gateway that commits alone.</summary>
    public ConsensusStatus? ConsensusStatus => consensus?.Status;

    /// <summary>The other validators and their connection state; empty for a gateway that commits alone.</summary>
    public IReadOnlyList<PeerStatus> PeerStatuses => peers?.Peers ?? [];

    /// <summary>Where this gateway listens for its peers, once started; null for a gateway that commits alone.</summary>
    public System.Net.IPEndPoint? PeerEndpoint => peers?.LocalEndPoint;

    /// <summary>Raised after each block is final here with the round that decided it (tests, the simulator's report).</summary>
    public event Action<Block, int>? BlockCommitted;

    private async Task StartConsensusAsync(ConsensusOptions settings, CancellationToken cancellationToken)
    {
        ValidatorSet validators = Read(s => s.State.Validators);
        wasMember = validators.Contains(options.ValidatorKey.PublicKey);
        if (!wasMember)
        {
            logger.LogInformation("this gateway is not in the validator set at height {Height} ({Count} validators): it follows the chain from them and votes once a set that lists it is in force",
                Height, validators.Validators.Count);
        }
        var peerValidators = validators.Validators.Select(v => new PeerValidator(PeerKey.FromBytes(v.PublicKey), v.Address)).ToList();
        var peerOptions = new PeerNetworkOptions
        {
            ChainId = ChainId,
            ListenEndPoint = settings.ListenEndPoint,
            DialFrom = settings.DialFrom,
            DroppableChannels = new HashSet<byte> { ConsensusWire.TransactionChannel },
            ReconnectMaxDelay = settings.ReconnectMaxDelay,
        };
        peers = new PeerNetwork(peerOptions, settings.KeySeed, peerValidators, options.LoggerFactory.CreateLogger("CommunityGrid.Peering"));
        try
        {
            await peers.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is SocketException or FormatException)
        {
            throw new NodeStartupException($"cannot listen for peer gateways ({settings.ListenEndPoint?.ToString() ?? "the genesis address of this gateway"}): {e.Message}", e);
        }
        ILogger consensusLogger = options.LoggerFactory.CreateLogger("CommunityGrid.Node.Consensus");
        peerLinks = new PeerLinks(peers, ConsensusWire.LinksChannel);
        gossip = new TransactionGossip(peers, ConsensusWire.TransactionChannel, peerLinks);
        adminGossip = new TransactionGossip(peers, ConsensusWire.AdminTransactionChannel, peerLinks);
        committedBlocks = new CommittedBlocks(store, storeLock, Pool, acks, displays, proofs, Metrics, rejected, options.Clock, consensusLogger);
        byte[] knownSet = validators.Hash;
        committedBlocks.BlockCommitted += (block, round) =>
        {
            // A validator change took effect (governance.md §6): the peer network follows the new set.
            ValidatorSet now = Read(s => s.State.Validators);
            if (!CommunityGrid.Chain.Encoding.Hashes.Equal(now.Hash, knownSet))
            {
                knownSet = now.Hash;
                FollowValidatorSet(now);
            }
            BlockCommitted?.Invoke(block, round);
        };
        var signer = new GuardedSigner(ChainId, options.ValidatorKey, new FileSignStateStore(settings.SignStatePath));
        var rules = new ChainBlockRules(store, storeLock, Pool, options.ValidatorKey.PublicKey, committedBlocks);
        long spacingMs = (long)settings.BlockSpacing.TotalMilliseconds;
        // Waiting transactions start a height only once the spacing since the tip's block time has passed (an interval due to close starts one at once).
        bool TransactionsDue() => Pool.Count > 0 && (spacingMs <= 0 || options.Clock.NowMs - Read(s => s.State.TipTimeMs) >= spacingMs);
        consensus = new ConsensusDriver(store, storeLock, peers, rules, signer, settings.Parameters, committedBlocks, TransactionsDue, options.Clock, consensusLogger);
        consensus.TransactionReceived += FromPeer;
        consensus.LinksReceived += peerLinks!.Accept;
        consensus.EvidenceFound += ReportEvidence;
        PeerNetwork network = peers;
        ConsensusDriver driver = consensus;
        Metrics.ObserveConsensus(() => driver.Figures(network.Peers, peerValidators.Count));
        Pool.Admitted += tx =>
        {
            // A transaction that came from a peer is already marked seen by the gossip, so Publish sends it nowhere.
            (tx.Type == TxType.Reading ? gossip : adminGossip).Publish(tx.Bytes);
            consensus.WorkArrived();
        };
        // A peer that (re)connects missed what was gossiped meanwhile: it gets this mempool (at most its capacity).
        peers.PeerConnected += peer =>
        {
            foreach (PendingTransaction tx in Pool.Oldest(Pool.Capacity))
            {
                peers.Send(peer, tx.Type == TxType.Reading ? ConsensusWire.TransactionChannel : ConsensusWire.AdminTransactionChannel, tx.Bytes);
            }
        };
        consensus.Start();
    }

    private bool CommitsAlone()
    {
        ValidatorSet set = Read(s => s.State.Validators);
        return set.Validators.Count == 1 && set.Contains(options.ValidatorKey.PublicKey);
    }

    /// <summary>
    /// A vote grew the set of a gateway that committed alone (governance.md §6; the change is in force from the
    /// block after the one that applied it): from that block on, blocks are decided with the new gateways.
    /// </summary>
    private async Task HandOverToConsensusAsync()
    {
        if (Volatile.Read(ref disposed) != 0) return;
        ValidatorSet set = Read(s => s.State.Validators);
        if (options.Consensus is not { } settings)
        {
            logger.LogCritical("the validator set now has {Count} gateways from height {Height}, but this node runs without consensus settings: it stops making blocks; restart it with them (cgrid gateway run does)",
                set.Validators.Count, Height + 1);
            return;
        }
        try
        {
            await StartConsensusAsync(settings, CancellationToken.None).ConfigureAwait(false);
            logger.LogInformation("the validator set now has {Count} gateways: from height {Height} this gateway decides blocks with them by consensus", set.Validators.Count, Height + 1);
        }
        catch (Exception e) when (e is NodeStartupException or InvalidOperationException or ObjectDisposedException)
        {
            logger.LogCritical("the validator set grew to {Count} gateways, but this gateway could not start consensus: {Error}; restart it to retry", set.Validators.Count, e.Message);
        }
    }

    private void FollowValidatorSet(ValidatorSet validators)
    {
        bool member = validators.Contains(options.ValidatorKey.PublicKey);
        if (!member && wasMember)
        {
            logger.LogWarning("this gateway is no longer in the validator set ({Count} validators from height {Height}); it keeps its chain but no longer votes; the community removed it by vote",
                validators.Validators.Count, Height + 1);
        }
        else if (member && !wasMember)
        {
            logger.LogInformation("this gateway is a validator from height {Height} ({Count} validators): it votes from now on", Height + 1, validators.Validators.Count);
        }
        else
        {
            logger.LogInformation("validator set changed: {Count} validators from height {Height}", validators.Validators.Count, Height + 1);
        }
        wasMember = member;
        // A gateway outside the set (joining, or removed) still follows it: it fetches blocks from whoever validates.
        peers!.UpdateValidators(validators.Validators.Select(v => new PeerValidator(PeerKey.FromBytes(v.PublicKey), v.Address)));
    }

    /// <summary>
    /// Double signing seen by this gateway becomes an evidence transaction signed with its validator key; the chain
    /// records each offence once, so several gateways reporting the same one is harmless (the later are refused).
    /// </summary>
    private void ReportEvidence(CommunityGrid.Consensus.Messages.DoubleSignEvidence evidence)
    {
        long lastNonce = Read(s => s.State.View().Nonce(options.ValidatorKey.PublicKey));
        // Time-based, so reports made before the previous one is committed still get increasing nonces.
        long nonce = Math.Max(lastNonce + 1, options.Clock.NowMs);
        byte[] tx = EvidenceTransaction.Create(ChainId, nonce, evidence, options.ValidatorKey);
        SubmitOutcome outcome = Submit(tx);
        if (!outcome.Accepted) logger.LogInformation("evidence against {Validator} not submitted: {Reason}", Convert.ToHexStringLower(evidence.Validator), outcome.Reason);
    }

    /// <summary>A transaction gossiped by a peer: screened like one from a meter, then kept in the mempool until a block holds it.</summary>
    private void FromPeer(PeerMessage message)
    {
        TransactionGossip channel = message.Channel == ConsensusWire.AdminTransactionChannel ? adminGossip! : gossip!;
        if (!channel.Accept(message)) return;
        if (TransactionScreen.Screen(message.Payload, ChainId, out Transaction? tx) is not null) return;
        if (Read(s => TransactionScreen.AgainstTip(s.State, tx!, options.Clock.NowMs)) is not null) return;
        committedBlocks!.ArrivedFromPeer(tx!.IdHex);
        Pool.Add(PendingTransaction.Of(tx));
    }
}
