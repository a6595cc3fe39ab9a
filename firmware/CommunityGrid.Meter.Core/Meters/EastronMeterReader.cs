using System;
using CommunityGrid.Meter.Modbus;

namespace CommunityGrid.Meter.Meters
{
    /// <summary>
    /// Reads an Eastron SDM meter's power and energy registers through a <see cref="ModbusRtuMaster"/>
    /// and converts the float32 values to integer W and Wh (rounded half away from zero). Contiguous
    /// registers of the map are fetched in one request. Any failure is an exception; a partial
    /// reading is never returned.
    /// </summary>
    public sealed class EastronMeterReader
    {
        /// <summary>Eastron meters answer at most 40 float values (80 registers) per request.</summary>
        private const int MaxValuesPerRequest = 40;

        private readonly ModbusRtuMaster _master;
        private readonly MeterRegister[] _map;
        private readonly string _model;

        public EastronMeterReader(ModbusRtuMaster master, int slaveId, string model, MeterRegister[] map)
        {
            ArgumentNullException.ThrowIfNull(master);
            ArgumentNullException.ThrowIfNull(model);
            ArgumentNullException.ThrowIfNull(map);
            if (slaveId < 1 || slaveId > 247)
            {
                throw new ArgumentOutOfRangeException(nameof(slaveId), "slave id must be 1..247");
            }
            for (int i = 1; i < map.Length; i++)
            {
                if (map[i].Address <= map[i - 1].Address)
                {
                    throw new ArgumentException("the register map must be sorted by address", nameof(map));
                }
            }
            _master = master;
            SlaveId = slaveId;
            _model = model;
            _map = map;
        }

        public static EastronMeterReader Sdm120(ModbusRtuMaster master, int slaveId)
        {
            return new EastronMeterReader(master, slaveId, "SDM120", EastronRegisterMaps.Sdm120());
        }

        public static EastronMeterReader Sdm630(ModbusRtuMaster master, int slaveId)
        {
            return new EastronMeterReader(master, slaveId, "SDM630", EastronRegisterMaps.Sdm630());
        }

        public int SlaveId { get; }

        /// <exception cref="ModbusException">the bus or the meter failed (see the subclass).</exception>
        /// <exception cref="MeterValueException">a register holds NaN/infinity, or the map lacks a required register.</exception>
        public SdmReading Read()
        {
            long[] values = new long[_map.Length];
            int first = 0;
            while (first < _map.Length)
            {
                int last = first;
                while (last + 1 < _map.Length && last + 1 - first < MaxValuesPerRequest
                    && _map[last + 1].FunctionCode == _map[first].FunctionCode
                    && _map[last + 1].Address == _map[last].Address + 2)
                {
                    last++;
                }
                int registerCount = 2 * (last - first + 1);
                ushort[] words = _master.ReadRegisters(SlaveId, _map[first].FunctionCode, _map[first].Address, registerCount);
                for (int i = first; i <= last; i++)
                {
                    int w = 2 * (i - first);
                    values[i] = Convert(_map[i], Float32Registers.FromHighWordFirst(words[w], words[w + 1]));
                }
                first = last + 1;
            }
            int phases = 0;
            for (int i = 0; i < _map.Length; i++)
            {
                if (IsPhasePower(_map[i].Name))
                {
                    phases++;
                }
            }
            long[] phasePower = new long[phases];
            int p = 0;
            for (int i = 0; i < _map.Length; i++)
            {
                if (IsPhasePower(_map[i].Name))
                {
                    phasePower[p++] = values[i];
                }
            }
            return new SdmReading(
                Find(values, EastronRegisterMaps.TotalActivePower),
                Find(values, EastronRegisterMaps.ImportActiveEnergy),
                Find(values, EastronRegisterMaps.ExportActiveEnergy),
                phasePower);
        }

        private long Convert(MeterRegister register, uint bits)
        {
            try
            {
                return Float32Registers.ToRoundedInteger(bits, register.IntegerMultiplier);
            }
            catch (MeterValueException e)
            {
                throw new MeterValueException(_model + " slave " + SlaveId + ", " + register.Name + " (input register "
                    + register.ReferenceNumber + ", float bits 0x" + bits.ToString("X8") + "): " + e.Message);
            }
        }

        private long Find(long[] values, string name)
        {
            for (int i = 0; i < _map.Length; i++)
            {
                if (_map[i].Name == name)
                {
                    return values[i];
                }
            }
            throw new MeterValueException(_model + " register map has no " + name);
        }

        private static bool IsPhasePower(string name)
        {
            return name == EastronRegisterMaps.Phase1ActivePower || name == EastronRegisterMaps.Phase2ActivePower
                || name == EastronRegisterMaps.Phase3ActivePower;
        }
    }
}
