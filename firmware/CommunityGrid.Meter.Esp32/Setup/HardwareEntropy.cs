using System;
using CommunityGrid.Meter.Keys;

namespace CommunityGrid.Meter.Esp32.Setup
{
    /// <summary>
    /// The ESP32's hardware RNG for the core's <see cref="DeviceKeyStore"/>. On the ESP32 firmware System.Random is
    /// that RNG: nf-interpreter's targets/ESP32/_nanoCLR/targetRandom.cpp implements Next/NextBytes with esp_random()
    /// and ignores seeds. ESP-IDF documents esp_random() as true random only while Wi-Fi or Bluetooth is on, so the
    /// app asks for the key after Wi-Fi has started. On other nanoFramework targets Random is rand(): ESP32 only.
    /// </summary>
    internal sealed class HardwareEntropy : IEntropySource
    {
        private readonly Random _rng = new Random();

        public void Fill(byte[] buffer) => _rng.NextBytes(buffer);
    }
}
