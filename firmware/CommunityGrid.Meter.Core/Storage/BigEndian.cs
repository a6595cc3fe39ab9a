using System;

namespace CommunityGrid.Meter.Storage
{
    /// <summary>Big-endian packing for the on-flash formats (the device has no BinaryPrimitives).</summary>
    public static class BigEndian
    {
        public static void WriteUInt16(byte[] target, int offset, int value)
        {
            target[offset] = (byte)(value >> 8);
            target[offset + 1] = (byte)value;
        }

        public static int ReadUInt16(byte[] source, int offset)
        {
            return (source[offset] << 8) | source[offset + 1];
        }

        public static void WriteUInt32(byte[] target, int offset, uint value)
        {
            target[offset] = (byte)(value >> 24);
            target[offset + 1] = (byte)(value >> 16);
            target[offset + 2] = (byte)(value >> 8);
            target[offset + 3] = (byte)value;
        }

        public static uint ReadUInt32(byte[] source, int offset)
        {
            return ((uint)source[offset] << 24) | ((uint)source[offset + 1] << 16) | ((uint)source[offset + 2] << 8) | source[offset + 3];
        }

        public static void WriteInt64(byte[] target, int offset, long value)
        {
            WriteUInt32(target, offset, (uint)(value >> 32));
            WriteUInt32(target, offset + 4, (uint)value);
        }

        public static long ReadInt64(byte[] source, int offset)
        {
            return ((long)ReadUInt32(source, offset) << 32) | ReadUInt32(source, offset + 4);
        }
    }
}
