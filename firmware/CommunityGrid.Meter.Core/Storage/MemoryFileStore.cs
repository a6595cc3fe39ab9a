using System;
using System.Collections;

namespace CommunityGrid.Meter.Storage
{
    /// <summary>
    /// An <see cref="IFileStore"/> in RAM for tests and the simulator, able to cut the power at any byte: give it a
    /// budget with <see cref="FailAfter"/> (one unit per byte written, one per delete, rename or file truncation)
    /// and the operation that exhausts it keeps what it wrote so far, then throws
    /// <see cref="SimulatedPowerLossException"/>; every later call throws too until <see cref="PowerOn"/>.
    /// </summary>
    public sealed class MemoryFileStore : IFileStore
    {
        private readonly ArrayList _files = new ArrayList();
        private long _budget = -1;
        private bool _poweredOff;

        /// <summary>Units spent since construction (or <see cref="ResetUnitCount"/>), so a test can crash at each one.</summary>
        public long UnitsUsed { get; private set; }

        public bool IsPoweredOff => _poweredOff;

        public void FailAfter(long units)
        {
            if (units < 0) throw new ArgumentOutOfRangeException(nameof(units), "a budget is 0 or more units");
            _budget = units;
        }

        /// <summary>The device restarts: files stay as they were at the cut, the budget becomes unlimited.</summary>
        public void PowerOn()
        {
            _poweredOff = false;
            _budget = -1;
        }

        public void ResetUnitCount() => UnitsUsed = 0;

        public bool Exists(string name)
        {
            CheckPower();
            return Find(name) != null;
        }

        public byte[] ReadAll(string name)
        {
            CheckPower();
            FileEntry? file = Find(name);
            if (file == null) throw new StorageException("cannot read " + name + ": no such file");
            return Copy(file.Data, file.Data.Length);
        }

        public void Append(string name, byte[] data, int offset, int count)
        {
            ArgumentNullException.ThrowIfNull(data);
            CheckRange(data, offset, count);
            CheckPower();
            FileEntry file = Find(name) ?? Add(name);
            Write(file, data, offset, count, "appending to " + name);
        }

        public void WriteAll(string name, byte[] data)
        {
            ArgumentNullException.ThrowIfNull(data);
            CheckPower();
            FileEntry file = Find(name) ?? Add(name);
            // Like FileMode.Create: the old content is gone before the first new byte lands.
            Spend("truncating " + name);
            file.Data = new byte[0];
            Write(file, data, 0, data.Length, "writing " + name);
        }

        public void Delete(string name)
        {
            CheckPower();
            FileEntry? file = Find(name);
            if (file == null) return;
            Spend("deleting " + name);
            _files.Remove(file);
        }

        public void Rename(string fromName, string toName)
        {
            CheckPower();
            FileEntry? file = Find(fromName);
            if (file == null) throw new StorageException("cannot rename " + fromName + ": no such file");
            if (Find(toName) != null) throw new StorageException("cannot rename " + fromName + " to " + toName + ": the destination exists");
            Spend("renaming " + fromName);
            file.Name = toName;
        }

        /// <summary>The file's bytes without spending power, or null; for tests.</summary>
        public byte[]? Peek(string name)
        {
            FileEntry? file = Find(name);
            return file == null ? null : Copy(file.Data, file.Data.Length);
        }

        /// <summary>Cuts the file to its first <paramref name="length"/> bytes, as a torn write would; for tests.</summary>
        public void Truncate(string name, int length)
        {
            FileEntry file = Find(name) ?? throw new StorageException("cannot truncate " + name + ": no such file");
            if (length < 0 || length > file.Data.Length) throw new ArgumentOutOfRangeException(nameof(length), "beyond the file");
            file.Data = Copy(file.Data, length);
        }

        /// <summary>Flips every bit of one byte, as flash wear or a half-programmed page would; for tests.</summary>
        public void CorruptByte(string name, int offset)
        {
            FileEntry file = Find(name) ?? throw new StorageException("cannot corrupt " + name + ": no such file");
            file.Data[offset] ^= 0xFF;
        }

        /// <summary>Replaces a file's bytes without spending power; for tests.</summary>
        public void Put(string name, byte[] data)
        {
            FileEntry file = Find(name) ?? Add(name);
            file.Data = Copy(data, data.Length);
        }

        public string[] Names()
        {
            string[] names = new string[_files.Count];
            for (int i = 0; i < names.Length; i++) names[i] = ((FileEntry)_files[i]!).Name;
            return names;
        }

        /// <summary>An independent copy with the same files, powered on; lets a test replay a crash from one state.</summary>
        public MemoryFileStore Clone()
        {
            MemoryFileStore copy = new MemoryFileStore();
            for (int i = 0; i < _files.Count; i++)
            {
                FileEntry file = (FileEntry)_files[i]!;
                copy.Put(file.Name, file.Data);
            }
            return copy;
        }

        private void Write(FileEntry file, byte[] data, int offset, int count, string what)
        {
            int allowed = count;
            if (_budget >= 0 && _budget < count) allowed = (int)_budget;
            byte[] grown = new byte[file.Data.Length + allowed];
            Array.Copy(file.Data, grown, file.Data.Length);
            Array.Copy(data, offset, grown, file.Data.Length, allowed);
            file.Data = grown;
            UnitsUsed += allowed;
            if (_budget >= 0) _budget -= allowed;
            if (allowed < count) PowerFails(what + " after " + allowed + " of " + count + " bytes");
        }

        private void Spend(string what)
        {
            if (_budget == 0) PowerFails(what);
            if (_budget > 0) _budget--;
            UnitsUsed++;
        }

        private void PowerFails(string what)
        {
            _poweredOff = true;
            throw new SimulatedPowerLossException("power lost while " + what);
        }

        private void CheckPower()
        {
            if (_poweredOff) throw new SimulatedPowerLossException("the power is off; call PowerOn to restart");
        }

        private static void CheckRange(byte[] data, int offset, int count)
        {
            if (offset < 0 || count < 0 || offset + count > data.Length)
            {
                throw new ArgumentOutOfRangeException(nameof(count), "range lies outside the array");
            }
        }

        private FileEntry? Find(string name)
        {
            for (int i = 0; i < _files.Count; i++)
            {
                FileEntry file = (FileEntry)_files[i]!;
                if (file.Name == name) return file;
            }
            return null;
        }

        private FileEntry Add(string name)
        {
            FileEntry file = new FileEntry(name);
            _files.Add(file);
            return file;
        }

        private static byte[] Copy(byte[] data, int length)
        {
            byte[] copy = new byte[length];
            Array.Copy(data, copy, length);
            return copy;
        }

        private sealed class FileEntry
        {
            public FileEntry(string name)
            {
                Name = name;
                Data = new byte[0];
            }

            public string Name;
            public byte[] Data;
        }
    }
}
