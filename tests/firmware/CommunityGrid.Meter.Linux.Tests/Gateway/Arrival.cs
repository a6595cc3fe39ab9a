using System;

namespace CommunityGrid.Meter.Linux.Tests.Gateway;

/// <summary>A reading as the test gateway received it, already checked with the gateway's own codec.</summary>
public sealed record Arrival(long Sequence, long IntervalStart, long ImportWh, long ExportWh, long PvWh, DateTime ReceivedAt, byte[] Bytes);
