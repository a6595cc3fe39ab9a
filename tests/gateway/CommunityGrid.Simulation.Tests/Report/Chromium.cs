using System;
using System.Diagnostics;
using System.IO;

namespace CommunityGrid.Simulation.Tests.Report;

/// <summary>Debian's headless Chromium with every background connection off: the report must need no network at all.</summary>
internal sealed class Chromium(string profileDirectory)
{
    private const string Executable = "/usr/bin/chromium";
    private static readonly TimeSpan BrowserTimeout = TimeSpan.FromSeconds(90);

    /// <summary>
    /// Headless Chromium lays pages out at least 500 px wide whatever the window size, so a phone-width view is a
    /// page holding the file in an iframe exactly that wide (media queries answer to the iframe's width). Written
    /// beside <paramref name="htmlFile"/>; returns its path.
    /// </summary>
    public static string Framed(string htmlFile, int width, int height, string? script = null)
    {
        string framed = Path.Combine(Path.GetDirectoryName(htmlFile)!, $"framed-{width}-{Path.GetFileName(htmlFile)}");
        File.WriteAllText(framed, $"<!DOCTYPE html><html><head><meta charset=\"utf-8\"></head><body style=\"margin:0\">" +
            $"<iframe src=\"{new Uri(htmlFile).AbsoluteUri}\" style=\"display:block;border:0;width:{width}px;height:{height}px\"></iframe>{script}</body></html>");
        return framed;
    }

    public string DumpDom(string htmlFile, int width) =>
        Run($"--window-size={width},900", "--virtual-time-budget=3000", "--allow-file-access-from-files", "--dump-dom", new Uri(htmlFile).AbsoluteUri);

    /// <summary>A screenshot of the page's top <paramref name="height"/> px at <paramref name="width"/> px; returns its size in bytes.</summary>
    public long Screenshot(string htmlFile, string png, int width, int height)
    {
        Run($"--window-size={width},{height}", "--hide-scrollbars", "--screenshot=" + png, new Uri(htmlFile).AbsoluteUri);
        Assert.True(File.Exists(png), $"Chromium wrote no screenshot {png}");
        return new FileInfo(png).Length;
    }

    private string Run(params string[] arguments)
    {
        if (!File.Exists(Executable))
        {
            Assert.Fail($"{Executable} is missing: the report tests need Debian's chromium. Run ./test.sh (it installs it) or apt-get install -y chromium");
        }
        var start = new ProcessStartInfo(Executable) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string flag in new[] { "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                     "--disable-background-networking", "--disable-component-update", "--disable-sync",
                     "--host-resolver-rules=MAP * ~NOTFOUND", "--user-data-dir=" + Path.Combine(profileDirectory, "profile") })
        {
            start.ArgumentList.Add(flag);
        }
        foreach (string argument in arguments) start.ArgumentList.Add(argument);
        using var process = Process.Start(start) ?? throw new InvalidOperationException("could not start chromium");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(BrowserTimeout))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"chromium did not finish within {BrowserTimeout}");
        }
        Assert.True(process.ExitCode == 0, $"chromium exited {process.ExitCode}: {stderr.Result}");
        return stdout.Result;
    }
}
