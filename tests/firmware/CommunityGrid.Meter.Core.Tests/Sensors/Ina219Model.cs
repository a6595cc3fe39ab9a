namespace CommunityGrid.Meter.Tests.Sensors;

/// <summary>
/// Register-level INA219 written from TI's datasheet (SBOS448): reset value 0x399F, shunt register in
/// 10 µV steps saturating at the PGA range, bus register (BD in bits 15..3, 4 mV; CNVR bit 1; OVF bit 0),
/// current = shunt × Cal / 4096, power = current × bus / 5000, calibration bit 0 void, CNVR cleared by
/// reading the power register. <see cref="Convert"/> stands for one completed ADC conversion.
/// </summary>
public sealed class Ina219Model : InaChipModel
{
    public Ina219Model() => PowerOnReset();

    /// <summary>The physical inputs the next conversion measures.</summary>
    public long ShuntMicrovolts { get; set; }
    public long BusMillivolts { get; set; }

    public override void PowerOnReset()
    {
        System.Array.Clear(Registers, 0, Registers.Length);
        Registers[0x00] = 0x399F;
    }

    public void Convert()
    {
        int pgaShift = (Registers[0x00] >> 11) & 3;
        long fullScale = 4000L << pgaShift;
        long shunt = RoundDiv(ShuntMicrovolts, 10);
        if (shunt > fullScale) shunt = fullScale;
        if (shunt < -fullScale) shunt = -fullScale;
        long busCounts = BusMillivolts / 4;
        int cal = Registers[0x05];
        long current = shunt * cal / 4096;
        long power = System.Math.Abs(current) * busCounts / 5000;
        bool overflow = current > short.MaxValue || current < short.MinValue || power > 0xFFFF;
        Registers[0x01] = ToRegister16(shunt);
        Registers[0x02] = (int)(busCounts << 3) | 0x2 | (overflow ? 0x1 : 0);
        Registers[0x04] = overflow ? 0 : ToRegister16(current);
        Registers[0x03] = overflow ? 0 : (int)power;
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
                Registers[0x02] &= ~0x2; // a new mode clears CNVR
                return;
            case 0x05:
                Registers[0x05] = value & 0xFFFE; // FS0 is void
                return;
            default:
                return; // result registers are read-only
        }
    }

    protected override int ReadRegister(int register)
    {
        int value = register <= 0x05 ? Registers[register] : 0;
        if (register == 0x03) Registers[0x02] &= ~0x2; // reading power clears CNVR
        return value;
    }
}
