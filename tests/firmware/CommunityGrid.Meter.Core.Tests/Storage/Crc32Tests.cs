using System;
using CommunityGrid.Meter.Storage;

namespace CommunityGrid.Meter.Tests.Storage;

public class Crc32Tests
{
    [Fact]
    public void MatchesTheStandardCheckValue()
    {
        byte[] data = System.Text.Encoding.ASCII.GetBytes("123456789");
        Assert.Equal(0xCBF43926u, Crc32.Compute(data, 0, data.Length));
    }

    [Fact]
    public void AgreesWithTheBitwiseDefinitionOnRandomRangesOfRandomArrays()
    {
        var random = new Random(18);
        for (int round = 0; round < 1000; round++)
        {
            byte[] data = new byte[random.Next(0, 300)];
            random.NextBytes(data);
            int offset = random.Next(0, data.Length + 1);
            int count = random.Next(0, data.Length - offset + 1);
            Assert.Equal(BitwiseCrc32(data, offset, count), Crc32.Compute(data, offset, count));
        }
    }

    /// <summary>The CRC-32 by its definition: the reflected polynomial applied one bit at a time.</summary>
    private static uint BitwiseCrc32(byte[] data, int offset, int count)
    {
        uint crc = 0xFFFFFFFF;
        for (int i = offset; i < offset + count; i++)
        {
            crc ^= data[i];
            for (int bit = 0; bit < 8; bit++) crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB88320 : crc >> 1;
        }
        return ~crc;
    }

    [Fact]
    public void EmptyInputGivesZero()
    {
        Assert.Equal(0u, Crc32.Compute(new byte[0], 0, 0));
    }

    [Fact]
    public void TrailerValidatesAndAnyFlippedBitBreaksIt()
    {
        byte[] data = { 1, 2, 3, 4, 5, 0, 0, 0, 0 };
        Crc32.WriteTrailer(data, 0, data.Length);
        Assert.True(Crc32.HasValidTrailer(data, 0, data.Length));
        for (int bit = 0; bit < data.Length * 8; bit++)
        {
            data[bit / 8] ^= (byte)(1 << (bit % 8));
            Assert.False(Crc32.HasValidTrailer(data, 0, data.Length));
            data[bit / 8] ^= (byte)(1 << (bit % 8));
        }
    }

    [Fact]
    public void BigEndianRoundTripsExtremes()
    {
        byte[] buffer = new byte[8];
        foreach (long value in new[] { 0L, 1L, -1L, long.MinValue, long.MaxValue, 0x0102030405060708L })
        {
            BigEndian.WriteInt64(buffer, 0, value);
            Assert.Equal(value, BigEndian.ReadInt64(buffer, 0));
        }
        BigEndian.WriteInt64(buffer, 0, 0x0102030405060708L);
        Assert.Equal(new byte[] { 1, 2, 3, 4, 5, 6, 7, 8 }, buffer);
        BigEndian.WriteUInt16(buffer, 0, 0xBEEF);
        Assert.Equal(0xBEEF, BigEndian.ReadUInt16(buffer, 0));
    }
}
