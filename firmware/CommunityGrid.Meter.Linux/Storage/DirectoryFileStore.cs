using System;
using System.IO;
using CommunityGrid.Meter.Storage;

namespace CommunityGrid.Meter.Linux.Storage
{
    /// <summary>
    /// <see cref="IFileStore"/> over one directory of a Linux file system. Every write is flushed to the device
    /// (fsync through FileStream.Flush(true)) before it returns, and <see cref="WriteAll"/> replaces a file atomically
    /// (write a temporary file, fsync it, rename over the target), so a crash leaves the old or the new contents.
    /// The core's formats do not rely on that atomicity (the ESP32's flash has none); it only makes torn files rarer.
    /// </summary>
    public sealed class DirectoryFileStore : IFileStore
    {
        private const string TempSuffix = ".tmp";

        public DirectoryFileStore(string directory)
        {
            ArgumentNullException.ThrowIfNull(directory);
            Directory.CreateDirectory(directory);
            DirectoryPath = Path.GetFullPath(directory);
            // A temporary file left by a crash mid-WriteAll is garbage: the target still holds the old contents.
            foreach (string leftover in Directory.GetFiles(DirectoryPath, "*" + TempSuffix)) File.Delete(leftover);
        }

        public string DirectoryPath { get; }

        public bool Exists(string name) => File.Exists(PathOf(name));

        public byte[] ReadAll(string name)
        {
            string path = PathOf(name);
            try
            {
                return File.ReadAllBytes(path);
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                throw new StorageException("cannot read " + path + ": " + e.Message, e);
            }
        }

        public void Append(string name, byte[] data, int offset, int count)
        {
            ArgumentNullException.ThrowIfNull(data);
            string path = PathOf(name);
            try
            {
                using var stream = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.Read);
                stream.Write(data, offset, count);
                stream.Flush(flushToDisk: true);
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                throw new StorageException("cannot append to " + path + ": " + e.Message, e);
            }
        }

        public void WriteAll(string name, byte[] data)
        {
            ArgumentNullException.ThrowIfNull(data);
            string path = PathOf(name);
            string temp = path + TempSuffix;
            try
            {
                using (var stream = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None))
                {
                    stream.Write(data, 0, data.Length);
                    stream.Flush(flushToDisk: true);
                }
                File.Move(temp, path, overwrite: true);
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                throw new StorageException("cannot write " + path + ": " + e.Message, e);
            }
        }

        public void Delete(string name)
        {
            string path = PathOf(name);
            try
            {
                File.Delete(path);
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                throw new StorageException("cannot delete " + path + ": " + e.Message, e);
            }
        }

        public void Rename(string fromName, string toName)
        {
            string from = PathOf(fromName);
            string to = PathOf(toName);
            if (!File.Exists(from)) throw new StorageException("cannot rename " + from + ": it does not exist");
            if (File.Exists(to)) throw new StorageException("cannot rename " + from + " to " + to + ": the destination exists");
            try
            {
                File.Move(from, to, overwrite: false);
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                throw new StorageException("cannot rename " + from + " to " + to + ": " + e.Message, e);
            }
        }

        private string PathOf(string name)
        {
            ArgumentNullException.ThrowIfNull(name);
            // Names are plain file names by the interface's contract; refuse anything that could leave the directory.
            if (name.Length == 0 || name == "." || name == ".." || name.IndexOfAny(new[] { '/', '\\', '\0' }) >= 0 || name.EndsWith(TempSuffix, StringComparison.Ordinal))
            {
                throw new ArgumentException("\"" + name + "\" is not a plain file name for the meter's data directory", nameof(name));
            }
            return Path.Combine(DirectoryPath, name);
        }
    }
}
