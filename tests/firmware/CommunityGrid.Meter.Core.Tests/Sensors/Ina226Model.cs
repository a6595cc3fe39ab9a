namespace CommunityGrid.Meter.Tests.Sensors;

/// <summary>
/// Register-level INA226 written from TI's datasheet (SBOS547): reset value 0x4127, shunt register in
/// 2.5 µV steps (saturating at 0x7FFF/0x8000), bus in 1.25 mV steps, current = shunt × Cal / 2048,
/// power = current × bus / 20000, calibration bit 15 reserved, Mask/Enable with CVRF (bit 3, cleared by
/// reading Mask/Enable or writing the configuration) and OVF (bit 2), ids 0x5449/0x2260.
/// </summary>
public sealed class Ina226Model : InaChipModel
{
    public Ina226Model() => PowerOnReset();

    public long ShuntMicrovolts { get; set; }
    public long BusMillivolts { get; set; }

    public override void PowerOnReset()
    {
        System.Array.Clear(Registers, 0, Registers.Length);
        Registers[0x00] = 0x4127;
        Registers[0xFE] = 0x5449;
        Registers[0xFF] = 0x2260;
    }

    public void Convert()
    {
        long shunt = RoundDiv(ShuntMicrovolts * 2, 5);
        if (shunt > short.MaxValue) shunt = short.MaxValue;
        if (shunt < short.MinValue) shunt = short.MinValue;
        long bus = RoundDiv(BusMillivolts * 4, 5);
        int cal = Registers[0x05];
        long current = shunt * cal / 2048;
        long power = System.Math.Abs(current) * bus / 20000;
        bool overflow = current > short.MaxValue || current < short.MinValue || power > 0xFFFF;
        Registers[0x01] = ToRegister16(shunt);
        Registers[0x02] = (int)bus & 0x7FFF;
        Registers[0x04] = overflow ? 0 : ToRegister16(current);
        Registers[0x03] = overflow ? 0 : (int)power;
        Registers[0x06] = (Registers[0x06] & ~0x000C) | 0x0008 | (overflow ? 0x0004 : 0);
    }

    protected override void WriteRegister(int register, int value)
    {
        switch (register)
        {
            case 0x00:
                if ((value & 0x8000) != 0)
                {
                    PowerOnReset();
                    return;
                }
                Registers[0x00] = value;
                Registers[0x06] &= ~0x0008;
                return;
            case 0x05:
                Registers[0x05] = value & 0x7FFF;
                return;
            case 0x06:
                Registers[0x06] = (Registers[0x06] & 0x001F) | (value & 0xFC03);
                return;
            case 0x07:
                Registers[0x07] = value;
                return;
            default:
                return;
        }
    }

    protected override int ReadRegister(int register)
    {
        int value = Registers[register];
        if (register == 0x06) Registers[0x06] &= ~0x0008; // reading Mask/Enable clears CVRF
        return value;
    }
}
