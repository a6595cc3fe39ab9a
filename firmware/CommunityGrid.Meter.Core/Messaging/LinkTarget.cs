using System;
using CommunityGrid.Meter.Configuration;

namespace CommunityGrid.Meter.Messaging
{
    /// <summary>
    /// What a meter's MQTT link talks to: a chain, its gateways' brokers (the first preferred, the next one tried after
    /// a failed connect, wrapping around, docs/consensus.md §8) and the gateway keys it believes there. At first the
    /// configured chain's; after a move the new chain's, as the move instruction names them (docs/protocol.md §7.5).
    /// </summary>
    public sealed class LinkTarget
    {
        private readonly string[] _hosts;
        private readonly int[] _ports;
        private int _current;

        /// <exception cref="ArgumentException">no host, or hosts and ports of different lengths.</exception>
        public LinkTarget(string chainId, string[] hosts, int[] ports, bool tls, TrustedSigners signers)
        {
            ArgumentNullException.ThrowIfNull(chainId);
            ArgumentNullException.ThrowIfNull(hosts);
            ArgumentNullException.ThrowIfNull(ports);
            ArgumentNullException.ThrowIfNull(signers);
            if (hosts.Length == 0 || hosts.Length != ports.Length) throw new ArgumentException("one port per host, at least one host");
            ChainId = chainId;
            _hosts = hosts;
            _ports = ports;
            Tls = tls;
            Signers = signers;
        }

        public string ChainId { get; }

        public bool Tls { get; }

        public TrustedSigners Signers { get; }

        public string Host => _hosts[_current];

        public int Port => _ports[_current];

        /// <summary>The configured chain: its brokers on one port, its gateway keys.</summary>
        public static LinkTarget FromConfig(MeterConfig config)
        {
            ArgumentNullException.ThrowIfNull(config);
            string[] hosts = config.MqttHosts;
            int[] ports = new int[hosts.Length];
            for (int i = 0; i < ports.Length; i++) ports[i] = config.MqttPort;
            return new LinkTarget(config.ChainId, hosts, ports, config.MqttTls, new TrustedSigners(config.GatewayKeys));
        }

        /// <summary>The chain the meter moved to: the instruction's brokers and gateway keys.</summary>
        /// <exception cref="InvalidOperationException">the meter has not moved.</exception>
        public static LinkTarget AfterMove(MoveFollower follower)
        {
            ArgumentNullException.ThrowIfNull(follower);
            BrokerUrl[] brokers = follower.NewBrokers();
            string[] hosts = new string[brokers.Length];
            int[] ports = new int[brokers.Length];
            for (int i = 0; i < brokers.Length; i++)
            {
                hosts[i] = brokers[i].Host;
                ports[i] = brokers[i].Port;
            }
            return new LinkTarget(follower.Move!.NewChainId, hosts, ports, brokers[0].Tls, follower.NewChainSigners());
        }

        /// <summary>The connect to the current broker failed: the next is tried next. Returns its host.</summary>
        public string Failed()
        {
            _current = (_current + 1) % _hosts.Length;
            return Host;
        }
    }
}
