using System;
using System.Diagnostics;
using System.IO;

namespace CommunityGrid.Meter.Esp32.Tests;

/// <summary>
/// The closest this machine gets to building the app: its own .cs files plus the portable sources, compiled against
/// nanoFramework mscorlib 1.17.11 (build/NanoCheck.targets) with stand-ins for the nanoFramework package APIs
/// (NanoApiStubs/). It fails when the core's API changes under the app, or when the app uses a BCL API the device
/// lacks. It cannot prove the stand-ins match the real packages: that is what the Visual Studio build does.
/// </summary>
public sealed class NanoBuildTests
{
    [Fact]
    public void The_app_compiles_against_nano_mscorlib_and_the_current_core()
    {
        string root = EspProject.Root;
        string stubs = EspProject.PathOf("tests/firmware/CommunityGrid.Meter.Esp32.Tests/NanoApiStubs");
        string dir = Path.Combine(Path.GetTempPath(), "cgrid-esp32-nanobuild-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        try
        {
            string project = $"""
                <Project Sdk="Microsoft.NET.Sdk">
                  <PropertyGroup>
                    <TargetFramework>net10.0</TargetFramework>
                    <LangVersion>latest</LangVersion>
                    <Nullable>enable</Nullable>
                    <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
                    <NoWarn>CS0067</NoWarn>
                    <PortableSourceDir>{dir}/none/</PortableSourceDir>
                  </PropertyGroup>
                  <Import Project="{root}build/NanoCheck.targets" />
                  <ItemGroup>
                    <Compile Include="{Path.GetFullPath(stubs)}/**/*.cs" />
                    <Compile Include="{root}shared/CommunityGrid.Protocol/**/*.cs" Exclude="{root}shared/CommunityGrid.Protocol/bin/**;{root}shared/CommunityGrid.Protocol/obj/**" />
                    <Compile Include="{root}firmware/CommunityGrid.Meter.Core/**/*.cs" Exclude="{root}firmware/CommunityGrid.Meter.Core/bin/**;{root}firmware/CommunityGrid.Meter.Core/obj/**" />
                    <Compile Include="{root}{EspProject.AppDir}/**/*.cs" Exclude="{root}{EspProject.AppDir}/bin/**;{root}{EspProject.AppDir}/obj/**" />
                  </ItemGroup>
                </Project>
                """;
            File.WriteAllText(Path.Combine(dir, "Esp32NanoBuild.csproj"), project);
            var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = dir };
            foreach (string arg in new[] { "build", "-nologo", "-v", "q", "-p:NuGetAudit=false" }) start.ArgumentList.Add(arg);
            start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
            start.Environment["DOTNET_NOLOGO"] = "1";
            using Process process = Process.Start(start)!;
            string output = process.StandardOutput.ReadToEnd() + process.StandardError.ReadToEnd();
            process.WaitForExit();
            Assert.True(process.ExitCode == 0, "the ESP32 app does not compile against nano mscorlib and the current core:\n" + output);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
