using System;
using CommunityGrid.Meter.Meters;

namespace CommunityGrid.Meter.Tests.Meters;

public class Float32RegistersTests
{
    private static uint Bits(float f) => BitConverter.SingleToUInt32Bits(f);

    [Theory]
    [InlineData(0f, 1, 0)]
    [InlineData(1f, 1, 1)]
    [InlineData(0.5f, 1, 1)]
    [InlineData(-0.5f, 1, -1)]
    [InlineData(2.5f, 1, 3)]
    [InlineData(-2.5f, 1, -3)]
    [InlineData(0.49999997f, 1, 0)]
    [InlineData(1234.5f, 1, 1235)]
    [InlineData(-1919.7f, 1, -1920)]
    [InlineData(1551.374f, 1000, 1551374)]
    [InlineData(0.0005f, 1000, 1)]
    [InlineData(16777216f, 1000, 16777216000)]
    public void Converts_with_half_away_from_zero(float value, long multiplier, long expected)
    {
        Assert.Equal(expected, Float32Registers.ToRoundedInteger(Bits(value), multiplier));
    }

    [Fact]
    public void Matches_exact_double_arithmetic_on_random_values()
    {
        var random = new Random(4711);
        for (int i = 0; i < 200_000; i++)
        {
            uint bits = (uint)random.NextInt64(0, 1L << 32);
            float f = BitConverter.UInt32BitsToSingle(bits);
            long multiplier = random.Next(2) == 0 ? 1 : 1000;
            if (float.IsNaN(f) || float.IsInfinity(f)) continue;
            double exact = (double)f * multiplier; // 24-bit × 10-bit product: exact in a double
            if (Math.Abs(exact) >= 9.2e18) continue;
            long expected = (long)Math.Round(exact, MidpointRounding.AwayFromZero);
            Assert.Equal(expected, Float32Registers.ToRoundedInteger(bits, multiplier));
        }
    }

    [Fact]
    public void Nan_and_infinity_are_errors_not_values()
    {
        Assert.Throws<MeterValueException>(() => Float32Registers.ToRoundedInteger(Bits(float.NaN), 1));
        Assert.Throws<MeterValueException>(() => Float32Registers.ToRoundedInteger(Bits(float.PositiveInfinity), 1000));
        Assert.Throws<MeterValueException>(() => Float32Registers.ToRoundedInteger(Bits(float.NegativeInfinity), 1));
        Assert.Throws<MeterValueException>(() => Float32Registers.ToRoundedInteger(Bits(1e30f), 1000));
    }

    [Fact]
    public void Subnormals_and_negative_zero_round_to_zero()
    {
        Assert.Equal(0, Float32Registers.ToRoundedInteger(0x80000000, 1000));
        Assert.Equal(0, Float32Registers.ToRoundedInteger(1, 1000));
        Assert.Equal(0, Float32Registers.ToRoundedInteger(0x807FFFFF, 1000));
    }

    [Fact]
    public void High_word_comes_first()
    {
        // 1234.5f = 0x449A5000
        Assert.Equal(0x449A5000u, Float32Registers.FromHighWordFirst(0x449A, 0x5000));
        Assert.Equal(1235, Float32Registers.ToRoundedInteger(Float32Registers.FromHighWordFirst(0x449A, 0x5000), 1));
    }
}
