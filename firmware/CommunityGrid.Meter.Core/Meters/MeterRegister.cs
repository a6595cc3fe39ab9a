using System;

namespace CommunityGrid.Meter.Meters
{
    /// <summary>
    /// One float32 quantity in a meter's Modbus map: wire address (0-based), function, unit. The maps
    /// are also kept as data in hardware/registers/*.csv; a test checks the two agree.
    /// </summary>
    public sealed class MeterRegister
    {
        public const string UnitWatt = "W";
        public const string UnitKilowattHour = "kWh";

        public MeterRegister(string name, int address, int functionCode, string unit)
        {
            ArgumentNullException.ThrowIfNull(name);
            ArgumentNullException.ThrowIfNull(unit);
            if (unit != UnitWatt && unit != UnitKilowattHour)
            {
                throw new ArgumentException("unit must be W or kWh, got " + unit, nameof(unit));
            }
            Name = name;
            Address = address;
            FunctionCode = functionCode;
            Unit = unit;
        }

        /// <summary>Our identifier, e.g. total_active_power (the CSV's name column).</summary>
        public string Name { get; }

        /// <summary>0-based address on the wire.</summary>
        public int Address { get; }

        public int FunctionCode { get; }

        public string Unit { get; }

        /// <summary>A float32 occupies two registers.</summary>
        public int RegisterCount => 2;

        /// <summary>The maker's 1-based reference number, e.g. 30053 for input register 0x0034.</summary>
        public int ReferenceNumber => (FunctionCode == 0x04 ? 30001 : 40001) + Address;

        /// <summary>Integer W for power, integer Wh for kWh registers.</summary>
        public long IntegerMultiplier => Unit == UnitKilowattHour ? 1000 : 1;

        public string IntegerUnit => Unit == UnitKilowattHour ? "Wh" : "W";
    }
}
