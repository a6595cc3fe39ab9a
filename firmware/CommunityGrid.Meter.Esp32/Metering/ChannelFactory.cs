using System.IO.Ports;
using CommunityGrid.Meter.Configuration;
using CommunityGrid.Meter.Energy;
using CommunityGrid.Meter.Esp32.Adapters;
using CommunityGrid.Meter.Esp32.Hardware;
using CommunityGrid.Meter.Meters;
using CommunityGrid.Meter.Modbus;
using CommunityGrid.Meter.Sensors;

namespace CommunityGrid.Meter.Esp32.Metering
{
    /// <summary>Builds the configured channels on the pins of <see cref="Pins"/>; one RS-485 bus serves both SDM meters.</summary>
    internal sealed class ChannelFactory
    {
        private readonly MeterConfig _config;
        private ModbusRtuMaster? _modbus;

        public ChannelFactory(MeterConfig config)
        {
            _config = config;
        }

        /// <returns>null for <see cref="ChannelSource.None"/>.</returns>
        public PowerChannel? Create(ChannelConfig channel, EnergyIntegrator integrator)
        {
            switch (channel.Source)
            {
                case ChannelSource.Ina219:
                    var ina219 = new Ina219(new NanoI2cDevice(Pins.I2cBus, channel.Address), channel.ShuntMicroohms,
                        channel.CurrentLsbMicroamps, Ina219.ResetConfiguration);
                    return new InaChannel(ina219.Initialize, ina219.Read, integrator);
                case ChannelSource.Ina226:
                    var ina226 = new Ina226(new NanoI2cDevice(Pins.I2cBus, channel.Address), channel.ShuntMicroohms,
                        channel.CurrentLsbMicroamps, Ina226.ResetConfiguration);
                    return new InaChannel(ina226.Initialize, ina226.Read, integrator);
                case ChannelSource.Sdm120:
                    return new SdmChannel(EastronMeterReader.Sdm120(Modbus(), channel.Address), channel.UseExportRegister);
                case ChannelSource.Sdm630:
                    return new SdmChannel(EastronMeterReader.Sdm630(Modbus(), channel.Address), channel.UseExportRegister);
                default:
                    return null;
            }
        }

        private ModbusRtuMaster Modbus()
        {
            if (_modbus == null)
            {
                Parity parity = _config.ModbusParity == "even" ? Parity.Even : _config.ModbusParity == "odd" ? Parity.Odd : Parity.None;
                StopBits stopBits = _config.ModbusStopBits == 2 ? StopBits.Two : StopBits.One;
                var link = new Rs485SerialLink(Pins.Rs485Port, _config.ModbusBaud, parity, stopBits);
                var options = new ModbusMasterOptions();
                options.SilenceMs = ModbusMasterOptions.SilenceForBaud(_config.ModbusBaud);
                _modbus = new ModbusRtuMaster(link, options);
            }
            return _modbus;
        }
    }
}
