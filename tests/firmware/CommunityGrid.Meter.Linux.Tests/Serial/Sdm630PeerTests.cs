using System;
using System.Collections.Generic;
using System.IO.Ports;
using CommunityGrid.Meter.Linux.Serial;
using CommunityGrid.Meter.Linux.Tests.ModbusPeer;
using CommunityGrid.Meter.Meters;
using CommunityGrid.Meter.Modbus;

namespace CommunityGrid.Meter.Linux.Tests.Serial;

/// <summary>
/// The real peer: SerialPortLink + ModbusRtuMaster + the SDM630 reader against Debian's pymodbus over a
/// socat pty pair. Faults (CRC damage, silence, exception responses) must end in a clear error, never a value.
/// </summary>
public sealed class Sdm630PeerTests : IDisposable
{
    private const int SlaveId = 1;

    // Values chosen to exercise rounding (…0.5 away from zero), sign and the kWh → Wh scaling.
    private static readonly Dictionary<int, float> Registers = new()
    {
        [0x000C] = 1200.4f,
        [0x000E] = -350.5f,
        [0x0010] = 10f,
        [0x0034] = 859.9f,
        [0x0048] = 12345.678f,
        [0x004A] = 2222.2222f,
    };

    private readonly PeerLab _lab = new();
    private readonly List<IDisposable> _links = new();

    public void Dispose()
    {
        foreach (var link in _links) link.Dispose();
        _lab.Dispose();
    }

    private (ModbusRtuMaster master, EastronMeterReader reader) Connect(string port, int slaveId = SlaveId)
    {
        var link = new SerialPortLink(port, 9600, Parity.None, StopBits.One);
        _links.Add(link);
        var options = new ModbusMasterOptions
        {
            ResponseTimeoutMs = 500,
            FrameCompletionTimeoutMs = 100,
            SilenceMs = ModbusMasterOptions.SilenceForBaud(9600),
            Retries = 2,
        };
        var master = new ModbusRtuMaster(link, options);
        return (master, EastronMeterReader.Sdm630(master, slaveId));
    }

    private static void AssertExpectedValues(SdmReading r)
    {
        Assert.Equal(860, r.TotalActivePowerW);
        Assert.Equal(new long[] { 1200, -351, 10 }, r.PhaseActivePowerW);
        Assert.Equal(12345678, r.ImportWh); // 12345.677734375 kWh as float32
        Assert.Equal(2222222, r.ExportWh);
    }

    [Fact]
    public void Reads_sdm630_values_served_by_pymodbus()
    {
        var (meterSide, slaveSide) = _lab.StartPtyPair("line");
        _lab.StartSlave(slaveSide, SlaveId, Registers);
        var (master, reader) = Connect(meterSide);

        AssertExpectedValues(reader.Read());
        AssertExpectedValues(reader.Read());
        Assert.Equal(0, master.RetryCount);
    }

    [Fact]
    public void A_corrupted_response_is_retried_and_the_value_is_still_right()
    {
        var (meterSide, relayMaster) = _lab.StartPtyPair("meter");
        var (relaySlave, slaveSide) = _lab.StartPtyPair("slave");
        _lab.StartSlave(slaveSide, SlaveId, Registers);
        var relay = _lab.StartCorruptingRelay(relayMaster, relaySlave, corruptCount: 1);
        var (master, reader) = Connect(meterSide);

        AssertExpectedValues(reader.Read());

        Assert.True(relay.WaitForLine("corrupted 1", TimeSpan.FromSeconds(5)), relay.Output());
        Assert.Equal(1, master.RetryCount);
    }

    [Fact]
    public void Persistent_corruption_is_a_crc_error_after_the_retries()
    {
        var (meterSide, relayMaster) = _lab.StartPtyPair("meter");
        var (relaySlave, slaveSide) = _lab.StartPtyPair("slave");
        _lab.StartSlave(slaveSide, SlaveId, Registers);
        _lab.StartCorruptingRelay(relayMaster, relaySlave, corruptCount: -1);
        var (master, reader) = Connect(meterSide);

        var e = Assert.Throws<ModbusCrcException>(() => reader.Read());

        Assert.Equal(3, e.Attempts);
        Assert.Equal(2, master.RetryCount);
        Assert.Contains("CRC", e.Message);
        Assert.Contains("slave 1", e.Message);
    }

    [Fact]
    public void A_wrong_slave_id_times_out_with_retries()
    {
        var (meterSide, slaveSide) = _lab.StartPtyPair("line");
        _lab.StartSlave(slaveSide, SlaveId, Registers);
        var (master, reader) = Connect(meterSide, slaveId: 7);

        var e = Assert.Throws<ModbusTimeoutException>(() => reader.Read());

        Assert.Equal(3, e.Attempts);
        Assert.Equal(2, master.RetryCount);
        Assert.Contains("slave 7", e.Message);
        Assert.Contains("no response", e.Message);
    }

    [Fact]
    public void A_stopped_peer_times_out_with_retries()
    {
        var (meterSide, slaveSide) = _lab.StartPtyPair("line");
        var slave = _lab.StartSlave(slaveSide, SlaveId, Registers);
        var (master, reader) = Connect(meterSide);
        AssertExpectedValues(reader.Read());

        slave.Stop();
        var e = Assert.Throws<ModbusTimeoutException>(() => reader.Read());

        Assert.Equal(3, e.Attempts);
        Assert.Equal(2, master.RetryCount);
    }

    [Fact]
    public void An_illegal_address_is_a_named_exception_and_not_retried()
    {
        var (meterSide, slaveSide) = _lab.StartPtyPair("line");
        var withoutExport = new Dictionary<int, float>(Registers);
        withoutExport.Remove(0x004A);
        _lab.StartSlave(slaveSide, SlaveId, withoutExport);
        var (master, reader) = Connect(meterSide);

        var e = Assert.Throws<ModbusSlaveException>(() => reader.Read());

        Assert.Equal(ModbusExceptionCodes.IllegalDataAddress, e.ExceptionCode);
        Assert.Contains("illegal data address", e.Message);
        Assert.Equal(0x0048, e.StartAddress);
        Assert.Equal(1, e.Attempts);
        Assert.Equal(0, master.RetryCount);
    }
}
