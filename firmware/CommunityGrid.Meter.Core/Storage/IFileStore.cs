namespace CommunityGrid.Meter.Storage
{
    /// <summary>
    /// The few file operations the meter needs, shaped after what nanoFramework's System.IO.FileSystem 1.1.93
    /// offers on the ESP32's flash drive (<c>I:\</c>): File.Exists, File.ReadAllBytes, a FileStream opened with
    /// FileMode.Append plus Flush, File.WriteAllBytes, File.Delete and File.Move. On Linux an adapter maps it onto
    /// System.IO in one directory. Names are plain file names (no folders); the adapter owns the location.
    /// </summary>
    /// <remarks>
    /// Nothing here is atomic across a power loss, and callers must not assume otherwise: an interrupted
    /// <see cref="Append"/> or <see cref="WriteAll"/> may leave any prefix of the new bytes, and <see cref="Rename"/>
    /// may fall back to copy-then-delete (nanoFramework's File.Move does when the driver cannot move), so it can
    /// leave both files. The queue and the slot files therefore rely only on checksums and on
    /// "write a second file completely, then delete the first".
    /// </remarks>
    public interface IFileStore
    {
        bool Exists(string name);

        /// <exception cref="StorageException">the file does not exist or cannot be read.</exception>
        byte[] ReadAll(string name);

        /// <summary>Appends data[offset .. offset+count) to the file, creating it when missing; flushed to the medium when this returns.</summary>
        void Append(string name, byte[] data, int offset, int count);

        /// <summary>Creates or replaces the file with exactly these bytes; flushed when this returns.</summary>
        void WriteAll(string name, byte[] data);

        /// <summary>Deletes the file; nothing happens when it does not exist.</summary>
        void Delete(string name);

        /// <exception cref="StorageException">the source is missing or the destination exists.</exception>
        void Rename(string fromName, string toName);
    }
}
