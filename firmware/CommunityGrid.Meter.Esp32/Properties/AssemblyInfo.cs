using System.Reflection;

[assembly: AssemblyTitle("CommunityGrid.Meter.Esp32")]
[assembly: AssemblyDescription("CommunityGrid household meter for ESP32 (nanoFramework 1.x)")]
[assembly: AssemblyProduct("CommunityGrid")]
[assembly: AssemblyVersion("1.0.0.0")]
