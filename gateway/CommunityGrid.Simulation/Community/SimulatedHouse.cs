using CommunityGrid.Chain.Transactions;
using CommunityGrid.Simulation.Profiles;

namespace CommunityGrid.Simulation.Community;

/// <summary>A member house: its traits, its member key and its meters (a connection-point meter, plus a PV meter if it has PV).</summary>
public sealed record SimulatedHouse(string HouseId, HouseTraits Traits, byte[] MemberKeySeed, SimulatedMeterSpec GridMeter, SimulatedMeterSpec? PvMeter);

/// <summary>A meter as installed: id, key seed, role and the registers the installer read off it at enrolment.</summary>
public sealed record SimulatedMeterSpec(string MeterId, string HouseId, MeterRole Role, byte[] KeySeed, long InitialImportWh, long InitialExportWh, long InitialPvWh);
