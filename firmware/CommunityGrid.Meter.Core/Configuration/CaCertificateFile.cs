using System;
using CommunityGrid.Meter.Storage;

namespace CommunityGrid.Meter.Configuration
{
    /// <summary>
    /// The <c>mqtt.ca</c> file, made ready for nanoFramework's <c>X509Certificate(byte[])</c>. That constructor hands the
    /// bytes to mbedTLS's <c>mbedtls_x509_crt_parse</c>, which treats a buffer as PEM only when its last byte is a zero
    /// terminator counted in its length; a PEM file as written (no zero) is parsed as DER, fails, and the constructor
    /// throws, so TLS never started on the device. PEM gets the terminator here (once); DER (starts with a SEQUENCE,
    /// 0x30) is passed as it is; anything else is refused with what to do.
    /// </summary>
    public static class CaCertificateFile
    {
        public const string Key = "mqtt.ca";
        private const string PemBeginLine = "-----BEGIN CERTIFICATE-----";
        private const byte DerSequenceTag = 0x30;

        /// <exception cref="ConfigException">the file is missing, empty, or neither a PEM nor a DER certificate.</exception>
        public static byte[] Load(IFileStore store, string fileName)
        {
            ArgumentNullException.ThrowIfNull(store);
            ArgumentNullException.ThrowIfNull(fileName);
            if (!store.Exists(fileName))
            {
                throw new ConfigException(0, Key, Key + ": the file '" + fileName + "' is missing; write the gateway's CA certificate (PEM) to the meter next to the configuration");
            }
            return ForDevice(store.ReadAll(fileName), fileName);
        }

        /// <summary>PEM with exactly one zero byte at the end, or DER unchanged.</summary>
        /// <exception cref="ConfigException">neither a PEM nor a DER certificate.</exception>
        public static byte[] ForDevice(byte[] file, string fileName)
        {
            ArgumentNullException.ThrowIfNull(file);
            if (file.Length > 0 && file[0] == DerSequenceTag) return file;
            if (IndexOf(file, PemBeginLine) < 0)
            {
                throw new ConfigException(0, Key, Key + ": '" + fileName + "' holds no '" + PemBeginLine
                    + "' line; write the gateway's CA certificate as a PEM file (the text file the gateway's operator hands out)");
            }
            if (file[file.Length - 1] == 0) return file;
            byte[] terminated = new byte[file.Length + 1];
            Array.Copy(file, terminated, file.Length);
            return terminated;
        }

        private static int IndexOf(byte[] data, string ascii)
        {
            char[] pattern = ascii.ToCharArray();
            for (int start = 0; start + pattern.Length <= data.Length; start++)
            {
                int i = 0;
                while (i < pattern.Length && data[start + i] == pattern[i]) i++;
                if (i == pattern.Length) return start;
            }
            return -1;
        }
    }
}
