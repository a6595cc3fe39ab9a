using CommunityGrid.Meter.Modbus;
using CommunityGrid.Protocol.Bytes;

namespace CommunityGrid.Meter.Tests.Modbus;

public class ModbusCrcTests
{
    // Reference CRCs (wire order, low byte first) cross-checked with pymodbus.utilities.computeCRC.
    [Theory]
    [InlineData("010400000002", "71cb")]
    [InlineData("01030000000a", "c5cd")]
    [InlineData("0104003400020000", "d403")]
    public void Known_frames(string body, string crcOnWire)
    {
        byte[] frame = new byte[body.Length / 2 + 2];
        byte[] bytes = Hex.Decode(body);
        System.Array.Copy(bytes, frame, bytes.Length);
        ModbusCrc.Append(frame, bytes.Length);
        Assert.Equal(body + crcOnWire, Hex.Encode(frame));
        Assert.True(ModbusCrc.IsValid(frame, frame.Length));
    }

    [Fact]
    public void Crc_of_nothing_is_the_initial_value()
    {
        Assert.Equal(0xFFFF, ModbusCrc.Compute(new byte[0], 0, 0));
    }

    [Fact]
    public void Every_single_bit_flip_is_detected()
    {
        byte[] frame = ScriptedSerialLink.RegisterResponse(1, 4, 0x4479, 0xC000);
        for (int i = 0; i < frame.Length * 8; i++)
        {
            frame[i / 8] ^= (byte)(1 << (i % 8));
            Assert.False(ModbusCrc.IsValid(frame, frame.Length));
            frame[i / 8] ^= (byte)(1 << (i % 8));
        }
        Assert.True(ModbusCrc.IsValid(frame, frame.Length));
    }
}
