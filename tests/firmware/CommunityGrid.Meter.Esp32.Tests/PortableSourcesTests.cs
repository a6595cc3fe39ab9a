using System;
using System.IO;
using System.Linq;

namespace CommunityGrid.Meter.Esp32.Tests;

/// <summary>
/// The app compiles the portable code itself (linked Compile items), so every portable source file must be among its
/// Compile items as MSBuild expands them, and nothing from bin/ or obj/.
/// </summary>
public sealed class PortableSourcesTests
{
    private static readonly string[] Compiled = EspProject.CompileItems();

    [Theory]
    [InlineData("shared/CommunityGrid.Protocol")]
    [InlineData("firmware/CommunityGrid.Meter.Core")]
    public void Every_portable_source_file_is_compiled_into_the_app(string portableDir)
    {
        string[] portable = EspProject.SourceFiles(portableDir);
        Assert.NotEmpty(portable);
        string[] missing = portable.Except(Compiled, StringComparer.Ordinal).ToArray();
        Assert.True(missing.Length == 0, "not compiled into the ESP32 app:\n  " + string.Join("\n  ", EspProject.Relative(missing)));
    }

    [Fact]
    public void Nothing_else_is_compiled_no_build_output_and_no_file_twice()
    {
        string[] allowed = EspProject.SourceFiles("shared/CommunityGrid.Protocol")
            .Concat(EspProject.SourceFiles("firmware/CommunityGrid.Meter.Core"))
            .Concat(EspProject.SourceFiles(EspProject.AppDir))
            .ToArray();
        string[] foreign = Compiled.Except(allowed, StringComparer.Ordinal).ToArray();
        Assert.True(foreign.Length == 0, "compiled but not a portable or app source:\n  " + string.Join("\n  ", EspProject.Relative(foreign)));
        Assert.Equal(Compiled.Length, Compiled.Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public void Every_app_source_file_is_in_the_project()
    {
        // The app lists its own files one by one: a .cs file left out would silently not be part of the firmware.
        string[] app = EspProject.SourceFiles(EspProject.AppDir);
        string[] missing = app.Except(Compiled, StringComparer.Ordinal).ToArray();
        Assert.True(missing.Length == 0, "app files the project does not compile:\n  " + string.Join("\n  ", EspProject.Relative(missing)));
    }
}
