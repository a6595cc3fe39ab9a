using CommunityGrid.Peering.Transport;
using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using CommunityGrid.Cli.Tests.Support;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;
using System.Threading;
using Xunit.Abstractions;

namespace CommunityGrid.Cli.Tests.Docs;

/// <summary>
/// Every command in a <c>```sh</c> block of README.md and docs/*.md runs as printed, in a scratch directory, with
/// <c>cgrid</c> being the built command line (and <c>dotnet run --project gateway/CommunityGrid.Cli --</c> the same).
/// What a test cannot do as printed is changed in the open, here: the documented ports 8080 and 1883 become free
/// loopback ports; <c>cgrid simulate</c> runs 3 houses; <c>./test.sh</c> (this suite) is not run from inside itself;
/// a command ending in <c>&amp;</c> (the gateway) is started, awaited until ready, and stopped with SIGTERM at the end,
/// which must exit 0. Blocks fenced without <c>sh</c> are illustrations (placeholders, system paths) and are not run.
/// </summary>
public sealed class DocumentedCommandsTests(ITestOutputHelper output) : IDisposable
{
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromMinutes(2);
    private readonly string scratch = Directory.CreateTempSubdirectory("cgrid-docs-").FullName;

    public static IEnumerable<object[]> Blocks() =>
        DocumentFiles().SelectMany(file => ShellBlocks(File.ReadAllText(file)).Select((block, i) => new object[] { Path.GetRelativePath(Repository.Root(), file), i }));

    [Theory]
    [MemberData(nameof(Blocks))]
    public void Every_command_of_the_block_runs(string document, int index)
    {
        string block = ShellBlocks(File.ReadAllText(Path.Combine(Repository.Root(), document)))[index];
        string bin = WriteCgridWrapper();
        var ports = new Dictionary<string, string> { ["127.0.0.1:8080"] = "127.0.0.1:" + LoopbackPorts.Reserve(), ["127.0.0.1:1883"] = "127.0.0.1:" + LoopbackPorts.Reserve() };
        var background = new List<Process>();
        try
        {
            foreach (string original in Commands(block))
            {
                string command = Adapt(original, ports);
                if (command.Length == 0)
                {
                    output.WriteLine($"not run here: {original}");
                    continue;
                }
                if (command.EndsWith('&'))
                {
                    background.Add(StartUntilReady(command.TrimEnd('&', ' '), bin));
                    continue;
                }
                (int exit, string stdout, string stderr) = Run(command, bin);
                output.WriteLine($"$ {command}\n{stdout}{stderr}");
                Assert.True(exit == 0, $"{document}: `{original}` exited {exit}\n{stdout}\n{stderr}");
            }
        }
        finally
        {
            foreach (Process p in background) StopAndExpectCleanExit(p);
        }
    }

    /// <summary>The lines of a block as commands: comments dropped, backslash continuations joined.</summary>
    private static IEnumerable<string> Commands(string block)
    {
        var command = new StringBuilder();
        foreach (string raw in block.Split('\n'))
        {
            string line = Regex.Replace(raw, @"\s+#.*$", "").TrimEnd();
            if (line.TrimStart().StartsWith('#')) continue;
            if (line.EndsWith('\\'))
            {
                command.Append(line[..^1]).Append(' ');
                continue;
            }
            command.Append(line);
            string text = Regex.Replace(command.ToString(), @"\s+", " ").Trim();
            command.Clear();
            if (text.Length > 0) yield return text;
        }
    }

    private static string Adapt(string command, Dictionary<string, string> ports)
    {
        if (command == "./test.sh") return "";
        command = command.Replace("dotnet run --project gateway/CommunityGrid.Cli -- ", "cgrid ");
        foreach ((string documented, string free) in ports) command = command.Replace(documented, free);
        if (command.StartsWith("cgrid simulate", StringComparison.Ordinal) && !command.Contains("--houses")) command += " --houses 3";
        return command;
    }

    private (int Exit, string Stdout, string Stderr) Run(string command, string bin)
    {
        using Process process = Process.Start(Bash(command, bin))!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(CommandTimeout))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"`{command}` did not finish within {CommandTimeout}");
        }
        return (process.ExitCode, stdout.Result, stderr.Result);
    }

    private Process StartUntilReady(string command, string bin)
    {
        // exec: the process we hold is the gateway itself, so SIGTERM reaches it.
        Process process = Process.Start(Bash("exec " + command, bin))!;
        var ready = new ManualResetEventSlim();
        var log = new StringBuilder();
        process.OutputDataReceived += (_, e) => { lock (log) log.AppendLine(e.Data); if (e.Data?.Contains("gateway ready") == true) ready.Set(); };
        process.ErrorDataReceived += (_, e) => { lock (log) log.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        if (!ready.Wait(CommandTimeout) || process.HasExited)
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
            Assert.Fail($"`{command}` did not log 'gateway ready':\n{log}");
        }
        output.WriteLine($"$ {command} &   (ready)");
        return process;
    }

    private void StopAndExpectCleanExit(Process process)
    {
        if (!process.HasExited)
        {
            Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])!.WaitForExit();
            if (!process.WaitForExit(TimeSpan.FromSeconds(30)))
            {
                process.Kill(entireProcessTree: true);
                Assert.Fail("the background command did not stop within 30 s of SIGTERM");
            }
        }
        process.WaitForExit();
        Assert.Equal(0, process.ExitCode);
        process.Dispose();
    }

    private ProcessStartInfo Bash(string command, string bin)
    {
        var start = new ProcessStartInfo("/bin/bash") { WorkingDirectory = scratch, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("-euo");
        start.ArgumentList.Add("pipefail");
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(command);
        start.Environment["PATH"] = bin + ":" + Environment.GetEnvironmentVariable("PATH");
        return start;
    }

    /// <summary>A <c>cgrid</c> on PATH that runs the cgrid.dll built beside these tests.</summary>
    private string WriteCgridWrapper()
    {
        string bin = Path.Combine(scratch, ".bin");
        Directory.CreateDirectory(bin);
        string wrapper = Path.Combine(bin, "cgrid");
        File.WriteAllText(wrapper, $"#!/bin/sh\nexec dotnet \"{Path.Combine(AppContext.BaseDirectory, "cgrid.dll")}\" \"$@\"\n");
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(wrapper, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return bin;
    }

    private static List<string> ShellBlocks(string markdown) =>
        Regex.Matches(markdown, @"^```sh\n(.*?)^```", RegexOptions.Singleline | RegexOptions.Multiline).Select(m => m.Groups[1].Value).ToList();

    private static IEnumerable<string> DocumentFiles() =>
        new[] { Path.Combine(Repository.Root(), "README.md") }.Concat(Directory.GetFiles(Path.Combine(Repository.Root(), "docs"), "*.md").Order(StringComparer.Ordinal));

    public void Dispose()
    {
        try
        {
            Directory.Delete(scratch, recursive: true);
        }
        catch (IOException)
        {
            // a process may still hold a file; a leftover temp folder is harmless
        }
    }
}
