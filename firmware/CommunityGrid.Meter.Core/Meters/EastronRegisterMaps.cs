namespace CommunityGrid.Meter.Meters
{
    /// <summary>
    /// The registers we read from Eastron SDM meters (input registers, function 0x04, float32 high word
    /// first). Sources and the maker's names are in hardware/registers/sdm120.csv and sdm630.csv.
    /// Sorted by address so contiguous entries are read in one request.
    /// </summary>
    public static class EastronRegisterMaps
    {
        public const string TotalActivePower = "total_active_power";
        public const string ImportActiveEnergy = "import_active_energy";
        public const string ExportActiveEnergy = "export_active_energy";
        public const string Phase1ActivePower = "phase1_active_power";
        public const string Phase2ActivePower = "phase2_active_power";
        public const string Phase3ActivePower = "phase3_active_power";

        public static MeterRegister[] Sdm120()
        {
            return new MeterRegister[]
            {
                new MeterRegister(TotalActivePower, 0x000C, 0x04, MeterRegister.UnitWatt),
                new MeterRegister(ImportActiveEnergy, 0x0048, 0x04, MeterRegister.UnitKilowattHour),
                new MeterRegister(ExportActiveEnergy, 0x004A, 0x04, MeterRegister.UnitKilowattHour),
            };
        }

        public static MeterRegister[] Sdm630()
        {
            return new MeterRegister[]
            {
                new MeterRegister(Phase1ActivePower, 0x000C, 0x04, MeterRegister.UnitWatt),
                new MeterRegister(Phase2ActivePower, 0x000E, 0x04, MeterRegister.UnitWatt),
                new MeterRegister(Phase3ActivePower, 0x0010, 0x04, MeterRegister.UnitWatt),
                new MeterRegister(TotalActivePower, 0x0034, 0x04, MeterRegister.UnitWatt),
                new MeterRegister(ImportActiveEnergy, 0x0048, 0x04, MeterRegister.UnitKilowattHour),
                new MeterRegister(ExportActiveEnergy, 0x004A, 0x04, MeterRegister.UnitKilowattHour),
            };
        }
    }
}
