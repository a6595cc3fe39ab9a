using System;
using CommunityGrid.Meter.Configuration;
using CommunityGrid.Meter.Display;
using CommunityGrid.Meter.Messaging;
using CommunityGrid.Meter.Queue;
using CommunityGrid.Meter.Storage;
using CommunityGrid.Protocol.Bytes;
using CommunityGrid.Protocol.Cose;
using CommunityGrid.Protocol.Merkle;
using CommunityGrid.Protocol.Readings;

namespace CommunityGrid.Meter.LightClient
{
    /// <summary>
    /// The meter believing only what it verified (docs/protocol.md §7.6, docs/meter.md "Light client"): takes the
    /// gateway's proof messages, drives <see cref="LightClientVerifier"/> and only when the header, its commit
    /// certificate and every path in the message verify does it release readings from the queue (through the last
    /// sequence the proved state entry <c>meter/{meterId}</c> shows) and show the balance and the price (state entry
    /// <c>price</c>) as verified at that height.
    /// A message with any part that does not verify changes nothing. The verifier's state is persisted after every
    /// verified header. Age is counted in the meter's interval counter (its last signed sequence), never by a clock.
    /// </summary>
    public sealed class MeterLightClient
    {
        private readonly string _chainId;
        private readonly string _meterId;
        private readonly byte[] _meterPublicKey;
        private readonly ReadingQueue _queue;
        private readonly MeterDisplayState _display;
        private readonly LightClientStateFile _state;
        private byte[]? _latestHeaderBytes;

        /// <param name="installedSet">The validator-set encoding from the installation configuration (chain.md §1), i.e. the genesis set.</param>
        /// <param name="meterInterval">The meter's interval counter now: the installation counts as a verification.</param>
        /// <param name="signatureCheck">the Ed25519 verification of commit signatures; null for the portable one (a meter).</param>
        /// <param name="merkleHasher">the hashes of inclusion paths; null for the portable one (a meter).</param>
        /// <exception cref="FormatException">the installed set is not a canonical validator set.</exception>
        public MeterLightClient(string chainId, string meterId, byte[] meterPublicKey, byte[] installedSet, long meterInterval,
            long staleAfterIntervals, long trustExpiresAfterIntervals, ReadingQueue queue, MeterDisplayState display, IFileStore store,
            ISignatureCheck? signatureCheck = null, IMerkleHasher? merkleHasher = null)
        {
            ArgumentNullException.ThrowIfNull(meterPublicKey);
            ArgumentNullException.ThrowIfNull(queue);
            ArgumentNullException.ThrowIfNull(display);
            _chainId = chainId;
            _meterId = meterId;
            _meterPublicKey = meterPublicKey;
            _queue = queue;
            _display = display;
            _state = new LightClientStateFile(store);
            Verifier = new LightClientVerifier(chainId, TrustedValidatorSet.FromEncoding(installedSet), meterInterval, staleAfterIntervals, trustExpiresAfterIntervals, signatureCheck, merkleHasher);
            ProofsTopic = MqttTopics.Proofs(chainId, meterId);
            _display.LightClientOn = true;
        }

        /// <summary>
        /// The light client <paramref name="config"/> asks for (lightclient.*), restored from <paramref name="store"/>, with
        /// <paramref name="downlink"/> no longer releasing on commit acks: from here on only verified proofs do. Null,
        /// changing nothing, when the configuration sets no validators.
        /// </summary>
        public static MeterLightClient? Start(MeterConfig config, byte[] meterPublicKey, long meterInterval, ReadingQueue queue, MeterDisplayState display,
            IFileStore store, GatewayDownlink downlink)
        {
            ArgumentNullException.ThrowIfNull(config);
            ArgumentNullException.ThrowIfNull(downlink);
            LightClientConfig light = config.LightClient;
            if (!light.Enabled) return null;
            var client = new MeterLightClient(config.ChainId, config.MeterId, meterPublicKey, light.SetEncoding, meterInterval,
                light.StaleAfterIntervals, light.TrustExpiresAfterIntervals, queue, display, store);
            client.Load();
            downlink.ReleasesOnCommitAcks = false;
            return client;
        }

        public LightClientVerifier Verifier { get; }

        public string ProofsTopic { get; }

        /// <summary>Why the persisted state could not be used (it was damaged), or null.</summary>
        public string? RestoreProblem { get; private set; }

        /// <summary>Restores the verifier from flash (if a state was saved); the LCD shows the restored height, figures unverified until the next proof.</summary>
        public bool Load()
        {
            bool restored = _state.Restore(Verifier);
            RestoreProblem = _state.Problem;
            _latestHeaderBytes = _state.RestoredHeader;
            _display.VerifiedHeight = Verifier.LatestVerifiedHeight;
            return restored;
        }

        /// <summary>
        /// After a move to a chain whose validator set this meter was not given (docs/protocol.md §7.8): readings are
        /// released again by acks signed by the downlink's (new chain's) gateway keys, and the LCD stops showing a
        /// verified height and "?" marks, which would describe the old chain. Proof messages must no longer be applied.
        /// </summary>
        public void FallBackToAcks(GatewayDownlink downlink)
        {
            ArgumentNullException.ThrowIfNull(downlink);
            downlink.ReleasesOnCommitAcks = true;
            _display.LightClientOn = false;
            // What was proved is of the old chain: the new chain's signed display data may replace it again.
            _display.BalanceVerified = false;
            _display.PriceVerified = false;
        }

        /// <summary>Marks figures unverified once nothing was verified for the stale window (docs/meter.md).</summary>
        public void Refresh(long meterInterval)
        {
            if (Verifier.FreshnessAt(meterInterval) == TrustFreshness.Fresh) return;
            _display.BalanceVerified = false;
            _display.PriceVerified = false;
        }

        /// <summary>Verifies one proof message and, only if all of it verifies, releases readings and shows the balance and price as verified.</summary>
        /// <exception cref="StorageException">the release or the verifier state could not be stored; the message may be applied again.</exception>
        public ProofOutcome Apply(byte[] payload, long meterInterval)
        {
            ArgumentNullException.ThrowIfNull(payload);
            ProofMessage message;
            LightHeader header;
            try
            {
                message = ProofMessage.Decode(payload);
                header = LightHeader.Decode(message.Header);
            }
            catch (FormatException e)
            {
                return Refuse(LightClientVerdict.Malformed, e.Message, 0);
            }
            if (message.ChainId != _chainId || message.MeterId != _meterId)
            {
                return Refuse(LightClientVerdict.WrongMeter, "the message is for " + message.ChainId + "/" + message.MeterId + ", not this meter", header.Height);
            }
            LightHeader? latest = Verifier.LatestVerified;
            bool known = latest != null && ByteArrays.AreEqual(latest.Hash, header.Hash);
            if (!known)
            {
                if (latest != null && header.Height <= latest.Height)
                {
                    return Refuse(LightClientVerdict.OlderHeader, "height " + header.Height + " is not after the verified height " + latest.Height, header.Height);
                }
                LightClientResult block = Verifier.VerifyBlock(message.Header, message.Certificate, meterInterval);
                if (!block.IsValid) return Refuse(block.Verdict, block.Reason, header.Height);
                header = block.Header!;
                _latestHeaderBytes = message.Header;
                _state.Save(Verifier, _latestHeaderBytes);
            }
            else
            {
                header = latest!;
            }
            if (message.NextValidatorSet != null && !ByteArrays.AreEqual(header.ValidatorSetHash, Verifier.TrustedSet.Hash))
            {
                // The adjacent-header step (docs/meter.md): the set verified here signs the blocks after this one.
                LightClientResult change = Verifier.FollowSetChange(header, message.NextValidatorSet);
                if (!change.IsValid) return Refuse(change.Verdict, change.Reason, header.Height);
                _state.Save(Verifier, _latestHeaderBytes);
            }
            _display.VerifiedHeight = header.Height;
            return ApplyProofs(message, header);
        }

        private ProofOutcome ApplyProofs(ProofMessage message, LightHeader header)
        {
            LightClientResult entryResult = Verifier.VerifyStateEntry(header, "meter/" + _meterId, message.MeterEntry, message.MeterEntryProof);
            if (!entryResult.IsValid) return Refuse(entryResult.Verdict, entryResult.Reason, header.Height);
            MeterStateEntry entry;
            try
            {
                entry = MeterStateEntry.Decode(message.MeterEntry);
            }
            catch (FormatException e)
            {
                return Refuse(LightClientVerdict.Malformed, "meter entry: " + e.Message, header.Height);
            }
            if (!ByteArrays.AreEqual(entry.PublicKey, _meterPublicKey))
            {
                return Refuse(LightClientVerdict.WrongMeter, "the chain's entry for " + _meterId + " holds another key: this meter is not the one enrolled", header.Height);
            }
            LightClientResult balance = Verifier.VerifyBalance(header, entry.HouseId, message.Balance, message.BalanceProof);
            if (!balance.IsValid) return Refuse(balance.Verdict, balance.Reason, header.Height);
            LightClientResult price = Verifier.VerifyPrice(header, message.PriceIntervalStart, message.Price, message.PriceProof);
            if (!price.IsValid) return Refuse(price.Verdict, price.Reason, header.Height);
            QueuedReading? last = Find(entry.LastSequence);
            if (message.ReadingProof != null && last != null)
            {
                LightClientResult tx = Verifier.VerifyTransaction(header, last.Payload, message.ReadingProof);
                if (!tx.IsValid) return Refuse(tx.Verdict, "reading " + entry.LastSequence + ": " + tx.Reason, header.Height);
            }
            else if (last != null)
            {
                string? difference = Difference(last.Payload, entry);
                if (difference != null) return Refuse(LightClientVerdict.ProofMismatch, difference, header.Height);
            }
            // Everything verified: only now does anything change.
            _display.HasBalance = true;
            _display.BalanceMinor = message.Balance;
            _display.BalanceVerified = true;
            _display.HasPrice = true;
            _display.PriceMinorPerKwh = message.Price;
            _display.PriceVerified = true;
            bool released = false;
            string note = "verified";
            if (entry.LastSequence > _queue.HighestSequence)
            {
                note = "the chain's last sequence " + entry.LastSequence + " is above every reading this meter queued (" + _queue.HighestSequence + "); nothing released";
            }
            else if (entry.LastSequence > _queue.ReleasedThrough)
            {
                released = _queue.Acknowledge(entry.LastSequence);
            }
            _display.LastAcknowledgedSequence = _queue.LastAcknowledged;
            _display.QueueLength = _queue.Count;
            return new ProofOutcome(LightClientVerdict.Valid, note, header.Height, entry.LastSequence, released, _queue.ReleasedThrough);
        }

        private QueuedReading? Find(long sequence)
        {
            for (int i = 0; i < _queue.Count; i++)
            {
                QueuedReading reading = _queue.GetPending(i);
                if (reading.Sequence == sequence) return reading;
            }
            return null;
        }

        /// <summary>Null when the chain's entry records exactly this reading's interval and registers, else what differs.</summary>
        private static string? Difference(byte[] signedReading, MeterStateEntry entry)
        {
            MeterReading reading;
            try
            {
                reading = MeterReadingCodec.Decode(CoseSign1.Decode(signedReading, ContentTypes.Reading).Payload);
            }
            catch (FormatException e)
            {
                return "queued reading " + entry.LastSequence + " does not decode: " + e.Message;
            }
            if (reading.IntervalStart == entry.LastIntervalStart && reading.ImportWh == entry.ImportWh && reading.ExportWh == entry.ExportWh && reading.PvWh == entry.PvWh) return null;
            return "the chain's entry for sequence " + entry.LastSequence + " records interval " + entry.LastIntervalStart + " and registers " + entry.ImportWh + "/" + entry.ExportWh + "/" + entry.PvWh
                + ", this meter's reading interval " + reading.IntervalStart + " and " + reading.ImportWh + "/" + reading.ExportWh + "/" + reading.PvWh;
        }

        private ProofOutcome Refuse(LightClientVerdict verdict, string reason, long height) =>
            new ProofOutcome(verdict, reason, height, 0, false, _queue.ReleasedThrough);
    }
}
