using System;
using System.IO;
using CommunityGrid.Formats.Keys;

namespace CommunityGrid.Cli.Tests.Keys;

public sealed class KeysCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("cgrid-keys-").FullName;

    [Fact]
    public void New_writes_a_private_key_file_and_prints_its_public_key()
    {
        string path = Path.Combine(_dir, "meter.key");
        var result = CgridProcess.Run(null, "keys", "new", "--out", path);

        Assert.Equal(0, result.ExitCode);
        string printed = result.Stdout.Trim();
        Assert.Matches("^[0-9a-f]{64}$", printed);
        var key = KeyFile.Read(path);
        Assert.Equal(printed, key.PublicKeyHex);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        }

        var shown = CgridProcess.Run(null, "keys", "show", path);
        Assert.Equal(0, shown.ExitCode);
        Assert.Equal(printed, shown.Stdout.Trim());
    }

    [Fact]
    public void New_never_overwrites_an_existing_key()
    {
        string path = Path.Combine(_dir, "member.key");
        Assert.Equal(0, CgridProcess.Run(null, "keys", "new", "--out", path).ExitCode);
        string before = File.ReadAllText(path);

        var again = CgridProcess.Run(null, "keys", "new", "--out", path);

        Assert.Equal(2, again.ExitCode);
        Assert.Contains("already exists", again.Stderr);
        Assert.Equal(before, File.ReadAllText(path));
    }

    [Fact]
    public void Two_new_keys_differ()
    {
        var a = CgridProcess.Run(null, "keys", "new", "--out", Path.Combine(_dir, "a.key"));
        var b = CgridProcess.Run(null, "keys", "new", "--out", Path.Combine(_dir, "b.key"));
        Assert.NotEqual(a.Stdout, b.Stdout);
    }

    [Fact]
    public void Show_rejects_a_damaged_key_file_with_what_to_do()
    {
        string path = Path.Combine(_dir, "edited.key");
        Assert.Equal(0, CgridProcess.Run(null, "keys", "new", "--out", path).ExitCode);
        string text = File.ReadAllText(path);
        string publicKey = KeyFile.Read(path).PublicKeyHex;
        char flipped = publicKey[0] == '0' ? '1' : '0';
        File.WriteAllText(path, text.Replace(publicKey, flipped + publicKey[1..]));

        var result = CgridProcess.Run(null, "keys", "show", path);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("does not belong to \"seed\"", result.Stderr);
    }

    [Fact]
    public void Unknown_option_is_a_usage_error()
    {
        var result = CgridProcess.Run(null, "keys", "new", "--bogus");
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--bogus", result.Stderr);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
