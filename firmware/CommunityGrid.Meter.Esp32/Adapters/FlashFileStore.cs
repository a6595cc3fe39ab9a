using System;
using System.IO;
using CommunityGrid.Meter.Storage;

namespace CommunityGrid.Meter.Esp32.Adapters
{
    /// <summary>
    /// The core's <see cref="IFileStore"/> on the ESP32's internal flash drive <c>I:\</c> (System.IO.FileSystem).
    /// Every failure of the file system becomes a <see cref="StorageException"/>, which the queue and slot files handle.
    /// </summary>
    internal sealed class FlashFileStore : IFileStore
    {
        public const string Drive = "I:\\";

        public static string PathOf(string name) => Drive + name;

        public bool Exists(string name) => File.Exists(PathOf(name));

        public byte[] ReadAll(string name)
        {
            try
            {
                return File.ReadAllBytes(PathOf(name));
            }
            catch (Exception ex)
            {
                throw new StorageException("cannot read " + PathOf(name) + ": " + ex.Message, ex);
            }
        }

        public void Append(string name, byte[] data, int offset, int count)
        {
            Write(name, FileMode.Append, data, offset, count);
        }

        public void WriteAll(string name, byte[] data)
        {
            Write(name, FileMode.Create, data, 0, data.Length);
        }

        public void Delete(string name)
        {
            try
            {
                if (File.Exists(PathOf(name))) File.Delete(PathOf(name));
            }
            catch (Exception ex)
            {
                throw new StorageException("cannot delete " + PathOf(name) + ": " + ex.Message, ex);
            }
        }

        public void Rename(string fromName, string toName)
        {
            if (!Exists(fromName)) throw new StorageException("cannot rename " + PathOf(fromName) + ": it does not exist");
            if (Exists(toName)) throw new StorageException("cannot rename to " + PathOf(toName) + ": it exists");
            try
            {
                File.Move(PathOf(fromName), PathOf(toName));
            }
            catch (Exception ex)
            {
                throw new StorageException("cannot rename " + PathOf(fromName) + ": " + ex.Message, ex);
            }
        }

        private static void Write(string name, FileMode mode, byte[] data, int offset, int count)
        {
            try
            {
                using (FileStream stream = new FileStream(PathOf(name), mode, FileAccess.Write))
                {
                    stream.Write(data, offset, count);
                    stream.Flush();
                }
            }
            catch (Exception ex)
            {
                throw new StorageException("cannot write " + PathOf(name) + ": " + ex.Message, ex);
            }
        }
    }
}
