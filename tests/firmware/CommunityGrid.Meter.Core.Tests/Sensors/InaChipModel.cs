using CommunityGrid.Meter.Bus;

namespace CommunityGrid.Meter.Tests.Sensors;

/// <summary>
/// The I2C side shared by the INA219 and INA226 models: a pointer register set by the first byte of
/// every write, 16-bit registers sent MSB first, reads from the pointed register, and fault injection.
/// </summary>
public abstract class InaChipModel : II2cDevice
{
    protected readonly int[] Registers = new int[256];
    private int _pointer;

    /// <summary>false: the chip does not ACK (unplugged, wrong address).</summary>
    public bool Present { get; set; } = true;

    /// <summary>This many transfers fail (NACK) before the chip answers again.</summary>
    public int FailNextTransfers { get; set; }

    public int Transfers { get; private set; }

    public int RegisterValue(int register) => Registers[register];

    public bool Write(byte[] write)
    {
        if (!Acknowledge() || write.Length == 0 || write.Length == 2 || write.Length > 3) return false;
        _pointer = write[0];
        if (write.Length == 3) WriteRegister(_pointer, (write[1] << 8) | write[2]);
        return true;
    }

    public bool WriteRead(byte[] write, byte[] read)
    {
        if (write.Length != 0 && !Write(write)) return false;
        if (!Acknowledge() || read.Length != 2) return false;
        int value = ReadRegister(_pointer) & 0xFFFF;
        read[0] = (byte)(value >> 8);
        read[1] = (byte)value;
        return true;
    }

    /// <summary>Power-on: every register back to its reset value (what a brown-out does).</summary>
    public abstract void PowerOnReset();

    protected abstract void WriteRegister(int register, int value);

    protected virtual int ReadRegister(int register) => Registers[register];

    protected static int ToRegister16(long signedValue) => (int)(signedValue & 0xFFFF);

    /// <summary>Rounds to the nearest integer, halves away from zero (ADC quantisation in the models).</summary>
    protected static long RoundDiv(long numerator, long denominator)
    {
        long q = numerator / denominator;
        long r = numerator % denominator;
        if (2 * System.Math.Abs(r) >= denominator) q += numerator < 0 ? -1 : 1;
        return q;
    }

    private bool Acknowledge()
    {
        Transfers++;
        if (!Present) return false;
        if (FailNextTransfers > 0)
        {
            FailNextTransfers--;
            return false;
        }
        return true;
    }
}
