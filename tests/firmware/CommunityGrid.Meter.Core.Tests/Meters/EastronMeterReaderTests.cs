using System;
using System.Collections.Generic;
using CommunityGrid.Meter.Meters;
using CommunityGrid.Meter.Modbus;
using CommunityGrid.Meter.Tests.Modbus;

namespace CommunityGrid.Meter.Tests.Meters;

public class EastronMeterReaderTests
{
    /// <summary>An in-test Eastron: input registers holding float32 values, high word first; unknown registers → exception 02.</summary>
    private static ScriptedSerialLink FakeMeter(int slave, Dictionary<int, float> values)
    {
        var registers = new Dictionary<int, ushort>();
        foreach (var (address, value) in values)
        {
            uint bits = BitConverter.SingleToUInt32Bits(value);
            registers[address] = (ushort)(bits >> 16);
            registers[address + 1] = (ushort)bits;
        }
        var link = new ScriptedSerialLink();
        link.Respond = request =>
        {
            if (request[0] != slave) return null;
            int start = (request[2] << 8) | request[3], count = (request[4] << 8) | request[5];
            var words = new ushort[count];
            for (int i = 0; i < count; i++)
            {
                if (!registers.TryGetValue(start + i, out words[i])) return ScriptedSerialLink.Frame((byte)slave, 0x84, 0x02);
            }
            return ScriptedSerialLink.RegisterResponse(slave, 4, words);
        };
        return link;
    }

    private static ModbusRtuMaster Master(ScriptedSerialLink link) =>
        new(link, new ModbusMasterOptions { Retries = 1, ResponseTimeoutMs = 20, FrameCompletionTimeoutMs = 10, SilenceMs = 1 });

    [Fact]
    public void Sdm630_values_are_read_in_three_requests()
    {
        var link = FakeMeter(3, new Dictionary<int, float>
        {
            [0x0C] = 1200.4f, [0x0E] = -350.5f, [0x10] = 10f,
            [0x34] = 859.9f, [0x48] = 12345.678f, [0x4A] = 2222.2222f,
        });

        SdmReading r = EastronMeterReader.Sdm630(Master(link), 3).Read();

        Assert.Equal(860, r.TotalActivePowerW);
        Assert.Equal(new long[] { 1200, -351, 10 }, r.PhaseActivePowerW);
        Assert.Equal((long)Math.Round((double)12345.678f * 1000, MidpointRounding.AwayFromZero), r.ImportWh);
        Assert.Equal(2222222, r.ExportWh);
        Assert.Equal(3, link.Requests.Count);
        Assert.Equal(6, link.Requests[0][5]); // 0x000C .. 0x0011 in one request
        Assert.Equal(4, link.Requests[2][5]); // import and export together
    }

    [Fact]
    public void Sdm120_values_are_read()
    {
        var link = FakeMeter(1, new Dictionary<int, float> { [0x0C] = -1919.7f, [0x48] = 1551.374f, [0x4A] = 1335.694f });

        SdmReading r = EastronMeterReader.Sdm120(Master(link), 1).Read();

        Assert.Equal(-1920, r.TotalActivePowerW);
        Assert.Equal(1551374, r.ImportWh);
        Assert.Equal(1335694, r.ExportWh);
        Assert.Empty(r.PhaseActivePowerW);
        Assert.Equal(2, link.Requests.Count);
    }

    [Fact]
    public void A_nan_register_is_an_error_naming_the_register()
    {
        var link = FakeMeter(1, new Dictionary<int, float> { [0x0C] = 1f, [0x48] = float.NaN, [0x4A] = 1f });
        var e = Assert.Throws<MeterValueException>(() => EastronMeterReader.Sdm120(Master(link), 1).Read());
        Assert.Contains("import_active_energy", e.Message);
        Assert.Contains("30073", e.Message);
    }

    [Fact]
    public void A_missing_register_surfaces_the_slave_exception()
    {
        var link = FakeMeter(1, new Dictionary<int, float> { [0x0C] = 1f });
        var e = Assert.Throws<ModbusSlaveException>(() => EastronMeterReader.Sdm120(Master(link), 1).Read());
        Assert.Equal(ModbusExceptionCodes.IllegalDataAddress, e.ExceptionCode);
    }
}
