using System;
using CommunityGrid.Meter.Display;
using CommunityGrid.Meter.LightClient;
using CommunityGrid.Meter.Linux.Config;
using CommunityGrid.Meter.Linux.Logging;
using CommunityGrid.Meter.Linux.Mqtt;
using CommunityGrid.Meter.Queue;
using CommunityGrid.Meter.Storage;

namespace CommunityGrid.Meter.Linux.Runtime
{
    /// <summary>
    /// The Linux meter's glue to the core's <see cref="MeterLightClient"/> (docs/protocol.md §7.6): proof messages from
    /// the proofs topic go through it, each outcome is logged (proof.verified with the proved price and balance /
    /// proof.refused with the verdict and the reason), and the LCD's freshness follows the meter's interval counter (its last signed sequence).
    /// </summary>
    public sealed class ProofHandler
    {
        private readonly MeterLightClient _client;
        private readonly MeterDisplayState _display;

        public ProofHandler(MeterSettings settings, LightClientSettings lightClient, byte[] meterPublicKey, long meterInterval,
            ReadingQueue queue, MeterDisplayState display, IFileStore files)
        {
            _display = display;
            _client = new MeterLightClient(settings.ChainId, settings.MeterId, meterPublicKey, lightClient.SetEncoding, meterInterval,
                lightClient.StaleAfterIntervals, lightClient.TrustExpiresAfterIntervals, queue, display, files);
            bool restored = _client.Load();
            if (_client.RestoreProblem is not null) Log.Warn("lightclient.recovered_damage", ("detail", _client.RestoreProblem));
            Log.Info("lightclient.started", ("validators", _client.Verifier.TrustedSet.Count), ("quorum", _client.Verifier.TrustedSet.Quorum),
                ("restored", restored), ("verified_height", _client.Verifier.LatestVerifiedHeight), ("verified_at_interval", _client.Verifier.VerifiedAtInterval),
                ("set_hash", Convert.ToHexStringLower(_client.Verifier.TrustedSet.Hash)));
        }

        public string Topic => _client.ProofsTopic;

        public long Refused { get; private set; }

        public bool Handles(ReceivedMessage message) => message.Topic == _client.ProofsTopic;

        public void Handle(ReceivedMessage message, long meterInterval)
        {
            _client.Verifier.Cost.Reset();
            ProofOutcome outcome;
            try
            {
                outcome = _client.Apply(message.Payload, meterInterval);
            }
            catch (StorageException e)
            {
                Log.Error("proof.not_persisted", ("error", e.Message));
                return;
            }
            var cost = _client.Verifier.Cost;
            if (!outcome.IsValid)
            {
                Refused++;
                Log.Warn("proof.refused", ("verdict", outcome.Verdict.ToString()), ("height", outcome.Height), ("reason", outcome.Reason),
                    ("released_through", outcome.ReleasedThrough), ("refused_total", Refused), ("signature_checks", cost.SignatureChecks), ("hashes", cost.Sha256Hashes));
                return;
            }
            Log.Info("proof.verified", ("height", outcome.Height), ("chain_seq", outcome.ChainSequence), ("released", outcome.Released),
                ("price", _display.PriceMinorPerKwh), ("balance", _display.BalanceMinor),
                ("released_through", outcome.ReleasedThrough), ("detail", outcome.Reason), ("signature_checks", cost.SignatureChecks), ("hashes", cost.Sha256Hashes));
        }

        public void Refresh(long meterInterval) => _client.Refresh(meterInterval);

        /// <summary>After a move: the new chain's signed acks release readings and the LCD drops the old chain's verified height and marks.</summary>
        public void FallBackToAcks(DownlinkHandler downlink) => _client.FallBackToAcks(downlink.Downlink);
    }
}
