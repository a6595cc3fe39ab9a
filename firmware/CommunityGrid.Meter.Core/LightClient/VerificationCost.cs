namespace CommunityGrid.Meter.LightClient
{
    /// <summary>
    /// Operations the light client spent, so its cost per block can be judged for an ESP32: SHA-256
    /// compressions are counted per hash call (header hash, Merkle leaf and node hashes), signature checks per
    /// Ed25519 verification (each is one SHA-512 and a double scalar multiplication).
    /// </summary>
    public sealed class VerificationCost
    {
        public int Sha256Hashes { get; private set; }
        public int SignatureChecks { get; private set; }

        internal void CountHash() => Sha256Hashes++;

        internal void CountSignatureCheck() => SignatureChecks++;

        public void Reset()
        {
            Sha256Hashes = 0;
            SignatureChecks = 0;
        }
    }
}
