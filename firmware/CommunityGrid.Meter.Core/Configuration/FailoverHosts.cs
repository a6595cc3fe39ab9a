namespace CommunityGrid.Meter.Configuration
{
    /// <summary>
    /// Which gateway's broker to try next: the street's gateway first; after a failed connect the next in the list,
    /// wrapping around. Any gateway of the community takes a reading into the common mempool and acknowledges it once
    /// committed (docs/consensus.md §8), so a meter need not wait for its street's gateway to come back.
    /// </summary>
    public sealed class FailoverHosts
    {
        private readonly string[] _hosts;
        private int _current;

        public FailoverHosts(string[] hosts)
        {
            if (hosts == null || hosts.Length == 0) throw new System.ArgumentException("at least one host");
            _hosts = hosts;
        }

        public string Current => _hosts[_current];

        /// <summary>The connect to <see cref="Current"/> failed: the next host is tried next. Returns it.</summary>
        public string Failed()
        {
            _current = (_current + 1) % _hosts.Length;
            return _hosts[_current];
        }
    }
}
