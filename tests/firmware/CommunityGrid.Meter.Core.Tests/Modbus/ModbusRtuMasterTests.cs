using CommunityGrid.Meter.Modbus;
using CommunityGrid.Protocol.Bytes;

namespace CommunityGrid.Meter.Tests.Modbus;

public class ModbusRtuMasterTests
{
    private static readonly ModbusMasterOptions Options = new() { Retries = 2, ResponseTimeoutMs = 50, FrameCompletionTimeoutMs = 20, SilenceMs = 2 };

    private static (ScriptedSerialLink link, ModbusRtuMaster master) Setup()
    {
        var link = new ScriptedSerialLink();
        return (link, new ModbusRtuMaster(link, Options));
    }

    [Fact]
    public void Sends_the_documented_request_and_decodes_the_registers()
    {
        var (link, master) = Setup();
        link.Respond = _ => ScriptedSerialLink.RegisterResponse(1, 4, 0x1234, 0xABCD);

        ushort[] values = master.ReadInputRegisters(1, 0, 2);

        Assert.Equal(new ushort[] { 0x1234, 0xABCD }, values);
        Assert.Equal("01040000000271cb", Hex.Encode(Assert.Single(link.Requests)));
        Assert.Equal(0, master.RetryCount);
    }

    [Fact]
    public void Holding_registers_use_function_3()
    {
        var (link, master) = Setup();
        link.Respond = _ => ScriptedSerialLink.RegisterResponse(7, 3, 42);
        Assert.Equal(new ushort[] { 42 }, master.ReadHoldingRegisters(7, 0x10, 1));
        Assert.Equal(0x03, link.Requests[0][1]);
    }

    [Fact]
    public void A_response_arriving_in_pieces_is_reassembled()
    {
        var (link, master) = Setup();
        link.MaxBytesPerRead = 1;
        link.Respond = _ => ScriptedSerialLink.RegisterResponse(1, 4, 1, 2, 3, 4);
        Assert.Equal(new ushort[] { 1, 2, 3, 4 }, master.ReadInputRegisters(1, 0x48, 4));
    }

    [Fact]
    public void Exception_response_is_named_and_not_retried()
    {
        var (link, master) = Setup();
        link.Respond = _ => ScriptedSerialLink.Frame(1, 0x84, 0x02);

        var e = Assert.Throws<ModbusSlaveException>(() => master.ReadInputRegisters(1, 0x0100, 2));

        Assert.Equal(ModbusExceptionCodes.IllegalDataAddress, e.ExceptionCode);
        Assert.Equal("illegal data address", e.ExceptionName);
        Assert.Contains("illegal data address", e.Message);
        Assert.Contains("slave 1", e.Message);
        Assert.Contains("0x0100", e.Message);
        Assert.Equal(1, e.Attempts);
        Assert.Single(link.Requests);
        Assert.Equal(0, master.RetryCount);
    }

    [Fact]
    public void A_crc_error_is_retried_and_the_retry_succeeds()
    {
        var (link, master) = Setup();
        int calls = 0;
        link.Respond = _ =>
        {
            byte[] frame = ScriptedSerialLink.RegisterResponse(1, 4, 0x4000, 0x0000);
            if (calls++ == 0) frame[3] ^= 0x01; // one bit of noise in the data
            return frame;
        };

        Assert.Equal(new ushort[] { 0x4000, 0 }, master.ReadInputRegisters(1, 0, 2));
        Assert.Equal(2, link.Requests.Count);
        Assert.Equal(1, master.RetryCount);
    }

    [Fact]
    public void Persistent_crc_errors_give_a_crc_exception_after_all_attempts()
    {
        var (link, master) = Setup();
        link.Respond = _ =>
        {
            byte[] frame = ScriptedSerialLink.RegisterResponse(1, 4, 0x4000, 0x0000);
            frame[^1] ^= 0xFF;
            return frame;
        };

        var e = Assert.Throws<ModbusCrcException>(() => master.ReadInputRegisters(1, 0, 2));

        Assert.Equal(3, e.Attempts);
        Assert.Equal(3, link.Requests.Count);
        Assert.Contains("CRC", e.Message);
        Assert.Contains("baud", e.Message);
    }

    [Fact]
    public void Silence_gives_a_timeout_exception_after_all_attempts()
    {
        var (link, master) = Setup();
        var e = Assert.Throws<ModbusTimeoutException>(() => master.ReadInputRegisters(9, 0x34, 2));
        Assert.Equal(3, e.Attempts);
        Assert.Equal(9, e.SlaveId);
        Assert.Contains("no response", e.Message);
        Assert.Contains("slave id", e.Message);
        Assert.Equal(2, master.RetryCount);
    }

    [Fact]
    public void A_truncated_response_is_a_timeout_and_is_retried()
    {
        var (link, master) = Setup();
        int calls = 0;
        link.Respond = _ =>
        {
            byte[] frame = ScriptedSerialLink.RegisterResponse(1, 4, 5, 6);
            return calls++ == 0 ? frame[..5] : frame;
        };
        Assert.Equal(new ushort[] { 5, 6 }, master.ReadInputRegisters(1, 0, 2));
        Assert.Equal(1, master.RetryCount);
    }

    [Fact]
    public void A_reply_from_another_slave_is_not_accepted()
    {
        var (link, master) = Setup();
        link.Respond = _ => ScriptedSerialLink.RegisterResponse(2, 4, 5, 6);
        var e = Assert.Throws<ModbusFrameException>(() => master.ReadInputRegisters(1, 0, 2));
        Assert.Contains("slave 2", e.Message);
        Assert.Equal(3, e.Attempts);
    }

    [Fact]
    public void A_wrong_byte_count_is_not_accepted()
    {
        var (link, master) = Setup();
        link.Respond = _ => ScriptedSerialLink.RegisterResponse(1, 4, 5);
        var e = Assert.Throws<ModbusFrameException>(() => master.ReadInputRegisters(1, 0, 2));
        Assert.Contains("2 data bytes, expected 4", e.Message);
    }

    [Fact]
    public void A_late_reply_on_the_line_is_drained_before_the_request()
    {
        var (link, master) = Setup();
        link.Inject(ScriptedSerialLink.RegisterResponse(1, 4, 0xDEAD, 0xBEEF)); // answer to an earlier, timed-out request
        link.Respond = _ => ScriptedSerialLink.RegisterResponse(1, 4, 1, 2);

        Assert.Equal(new ushort[] { 1, 2 }, master.ReadInputRegisters(1, 0, 2));
        Assert.Equal(9, master.DiscardedBytes);
    }

    [Fact]
    public void Invalid_requests_are_rejected_before_anything_is_sent()
    {
        var (link, master) = Setup();
        Assert.Throws<System.ArgumentOutOfRangeException>(() => master.ReadInputRegisters(0, 0, 2));
        Assert.Throws<System.ArgumentOutOfRangeException>(() => master.ReadInputRegisters(248, 0, 2));
        Assert.Throws<System.ArgumentOutOfRangeException>(() => master.ReadInputRegisters(1, 0, 126));
        Assert.Throws<System.ArgumentOutOfRangeException>(() => master.ReadInputRegisters(1, 0xFFFF, 2));
        Assert.Empty(link.Requests);
    }

    [Theory]
    [InlineData(9600, 5)]
    [InlineData(2400, 17)]
    [InlineData(19200, 3)]
    [InlineData(115200, 2)]
    public void Silence_is_three_and_a_half_characters(int baud, int expectedMs)
    {
        Assert.Equal(expectedMs, ModbusMasterOptions.SilenceForBaud(baud));
    }
}
