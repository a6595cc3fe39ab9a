using System;
using CommunityGrid.Meter.Sensors;

namespace CommunityGrid.Meter.Configuration
{
    /// <summary>
    /// One measuring point, the grid connection (<c>grid.*</c>) or the PV output (<c>pv.*</c>). Keys that do not
    /// apply to the chosen source are refused: a shunt value next to an SDM source means the source is wrong.
    /// </summary>
    public sealed class ChannelConfig
    {
        private static readonly string[] SourceNames = { "none", "ina219", "ina226", "sdm120", "sdm630" };

        private ChannelConfig()
        {
        }

        public ChannelSource Source { get; private set; }

        /// <summary>I2C address (INA) or Modbus slave id (SDM); 0 for none.</summary>
        public int Address { get; private set; }

        public long ShuntMicroohms { get; private set; }

        public long CurrentLsbMicroamps { get; private set; }

        /// <summary>SDM on the PV output wired so that the inverter's energy is the meter's export.</summary>
        public bool UseExportRegister { get; private set; }

        public bool IsIna => Source == ChannelSource.Ina219 || Source == ChannelSource.Ina226;

        public bool IsSdm => Source == ChannelSource.Sdm120 || Source == ChannelSource.Sdm630;

        /// <summary>The channel's address key, for messages about two channels.</summary>
        public string AddressKey { get; private set; } = "";

        internal static ChannelConfig Read(ConfigFile file, string prefix, ChannelSource fallback, bool hasRegisterKey)
        {
            var channel = new ChannelConfig();
            channel.AddressKey = prefix + ".address";
            channel.Source = (ChannelSource)file.Choice(prefix + ".source", SourceNames, (int)fallback);
            string shuntKey = prefix + ".shunt.microohms", lsbKey = prefix + ".current.lsb.microamps", registerKey = prefix + ".register";
            if (channel.IsIna)
            {
                channel.Address = (int)file.Number(channel.AddressKey, 0x40, 0x40, 0x4F, "an INA219/INA226 answers at 0x40..0x4F, as set by its A0/A1 pins");
                channel.ShuntMicroohms = file.Number(shuntKey, 100_000, 1, InaCalibration.MaxShuntMicroohms,
                    "the shunt in micro-ohms, 1..10000000 (0.1 ohm = 100000)");
                channel.CurrentLsbMicroamps = file.Number(lsbKey, 100, 1, InaCalibration.MaxCurrentLsbMicroamps,
                    "the current resolution in micro-amps, 1..10000000 (about the largest current / 32768)");
                channel.CheckCalibration(file, lsbKey);
            }
            else if (channel.IsSdm)
            {
                channel.Address = (int)file.Number(channel.AddressKey, 1, 1, 247, "a Modbus slave id is 1..247, as set on the meter's front panel");
            }
            else
            {
                channel.RefuseIfSet(file, channel.AddressKey, prefix);
            }
            if (!channel.IsIna)
            {
                channel.RefuseIfSet(file, shuntKey, prefix);
                channel.RefuseIfSet(file, lsbKey, prefix);
            }
            if (hasRegisterKey && channel.IsSdm)
            {
                channel.UseExportRegister = file.Choice(registerKey, new string[] { "import", "export" }, 0) == 1;
            }
            else if (hasRegisterKey)
            {
                channel.RefuseIfSet(file, registerKey, prefix);
            }
            return channel;
        }

        /// <summary>Checked here rather than at the first sample: a bad pair would otherwise stop the meter after boot.</summary>
        private void CheckCalibration(ConfigFile file, string lsbKey)
        {
            try
            {
                if (Source == ChannelSource.Ina219) InaCalibration.Compute(InaCalibration.Ina219Numerator, CurrentLsbMicroamps, ShuntMicroohms, 0xFFFF);
                else InaCalibration.Compute(InaCalibration.Ina226Numerator, CurrentLsbMicroamps, ShuntMicroohms, Ina226.MaxCalibration);
            }
            catch (ArgumentOutOfRangeException ex)
            {
                throw file.Error(lsbKey, ex.Message);
            }
        }

        private void RefuseIfSet(ConfigFile file, string key, string prefix)
        {
            if (file.Find(key) == null) return;
            throw file.Error(key, "does not apply to " + prefix + ".source = " + SourceNames[(int)Source]
                + "; remove the line or correct " + prefix + ".source");
        }
    }
}
