using System;
using System.Diagnostics;
using System.IO;
using System.Threading.Tasks;

namespace CommunityGrid.Meter.Esp32.Tests;

/// <summary>
/// Runs the app's own GatewayLink and LcdScreen (issue 15 cases 2 and 3): they are compiled with the portable core and
/// with stand-ins for the nanoFramework APIs that behave as the 1.x sources do where the defects were (AppHarness/), and
/// a scenario program drives them: refused, timed-out and half-made connects, a dropped connection, a second LCD screen;
/// and (issue 16) the household broker's HomeAssistantLink: failed clients disposed, the retained offline will, retained
/// publishes two per round with configs first, a reading kept through a full inflight queue.
/// The stand-ins cannot prove the real libraries behave so; the Visual Studio build and a device do.
/// </summary>
public sealed class AppBehaviourTests
{
    [Fact]
    public async Task Every_MQTT_client_is_disposed_and_the_page_button_is_opened_once_when_the_app_code_runs()
    {
        string root = EspProject.Root;
        string app = root + EspProject.AppDir;
        string harness = Path.GetFullPath(EspProject.PathOf("tests/firmware/CommunityGrid.Meter.Esp32.Tests/AppHarness"));
        string dir = Path.Combine(Path.GetTempPath(), "cgrid-esp32-behaviour-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        try
        {
            string project = $"""
                <Project Sdk="Microsoft.NET.Sdk">
                  <PropertyGroup>
                    <OutputType>Exe</OutputType>
                    <TargetFramework>net10.0</TargetFramework>
                    <Nullable>enable</Nullable>
                    <ImplicitUsings>disable</ImplicitUsings>
                    <NoWarn>CS0067;SYSLIB0057</NoWarn>
                    <EnableDefaultCompileItems>false</EnableDefaultCompileItems>
                  </PropertyGroup>
                  <ItemGroup>
                    <Compile Include="{harness}/*.cs" />
                    <Compile Include="{app}/Network/GatewayLink.cs;{app}/Network/HomeAssistantLink.cs;{app}/Display/LcdScreen.cs;{app}/Hardware/Pins.cs" />
                    <Compile Include="{root}shared/CommunityGrid.Protocol/**/*.cs" Exclude="{root}shared/CommunityGrid.Protocol/bin/**;{root}shared/CommunityGrid.Protocol/obj/**" />
                    <Compile Include="{root}firmware/CommunityGrid.Meter.Core/**/*.cs" Exclude="{root}firmware/CommunityGrid.Meter.Core/bin/**;{root}firmware/CommunityGrid.Meter.Core/obj/**" />
                  </ItemGroup>
                </Project>
                """;
            File.WriteAllText(Path.Combine(dir, "AppBehaviour.csproj"), project);
            var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = dir };
            foreach (string arg in new[] { "run", "-nologo", "-v", "q", "-p:NuGetAudit=false" }) start.ArgumentList.Add(arg);
            start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
            start.Environment["DOTNET_NOLOGO"] = "1";
            using Process process = Process.Start(start)!;
            Task<string> errors = process.StandardError.ReadToEndAsync();
            string output = await process.StandardOutput.ReadToEndAsync();
            await process.WaitForExitAsync();
            Assert.True(process.ExitCode == 0, "the app's code misbehaves (or does not build with the harness):\n" + output + await errors);
            Assert.DoesNotContain("FAILED", output);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
