namespace CommunityGrid.Meter.Keys
{
    /// <summary>
    /// Where key material comes from, injected so the key policy can be tested with a predictable source. On the ESP32
    /// it is the hardware RNG (System.Random there is esp_random(), true random once Wi-Fi is on); tests count bytes.
    /// </summary>
    public interface IEntropySource
    {
        /// <summary>Fills the whole buffer with fresh random bytes.</summary>
        void Fill(byte[] buffer);
    }
}
