using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;
using System.Text;
using System.Threading;

namespace CommunityGrid.Meter.Linux.Tests.Meter;

/// <summary>
/// The real cgrid-meter process (built next to the tests), its stdout parsed line by line as it arrives. Every wait is
/// bounded; Dispose kills it if it is still running.
/// </summary>
public sealed class MeterProcess : IDisposable
{
    private const int SigTerm = 15;
    private readonly Process _process;
    private readonly List<LogLine> _lines = new();
    private readonly StringBuilder _stderr = new();
    private readonly object _gate = new();

    public MeterProcess(string configPath, params string[] extraArguments)
    {
        string dll = Path.Combine(AppContext.BaseDirectory, "cgrid-meter.dll");
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(dll);
        info.ArgumentList.Add("--config");
        info.ArgumentList.Add(configPath);
        foreach (string argument in extraArguments) info.ArgumentList.Add(argument);
        _process = new Process { StartInfo = info };
        _process.OutputDataReceived += (_, e) => OnLine(e.Data);
        _process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            lock (_gate) _stderr.AppendLine(e.Data);
        };
        _process.Start();
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    public IReadOnlyList<LogLine> Lines()
    {
        lock (_gate) return _lines.ToList();
    }

    public IReadOnlyList<LogLine> Events(string name) => Lines().Where(line => line.Event == name).ToList();

    public string Transcript()
    {
        lock (_gate) return string.Join('\n', _lines.Select(line => line.Text)) + "\n--- stderr ---\n" + _stderr;
    }

    /// <summary>Waits until a line satisfies <paramref name="match"/>; returns it, or throws with the transcript on timeout or exit.</summary>
    public LogLine WaitFor(Func<LogLine, bool> match, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        lock (_gate)
        {
            int checkedCount = 0;
            while (true)
            {
                for (; checkedCount < _lines.Count; checkedCount++)
                {
                    if (match(_lines[checkedCount])) return _lines[checkedCount];
                }
                TimeSpan left = deadline - DateTime.UtcNow;
                if (left <= TimeSpan.Zero) throw new TimeoutException($"cgrid-meter: no {what} within {timeout.TotalSeconds} s\n{Transcript()}");
                if (_process.HasExited && !Monitor.Wait(_gate, 200)) throw new InvalidOperationException($"cgrid-meter exited ({_process.ExitCode}) before {what}\n{Transcript()}");
                Monitor.Wait(_gate, left < TimeSpan.FromMilliseconds(100) ? left : TimeSpan.FromMilliseconds(100));
            }
        }
    }

    /// <summary>SIGKILL: no chance to flush or close anything, as in a power cut of the process.</summary>
    public void KillNine()
    {
        if (_process.HasExited) return;
        _process.Kill();
        if (!_process.WaitForExit(5000)) throw new TimeoutException("cgrid-meter survived SIGKILL for 5 s");
        _process.WaitForExit();
    }

    /// <summary>SIGTERM, then waits for an orderly exit.</summary>
    public int Terminate(TimeSpan timeout)
    {
        if (!_process.HasExited && SendSignal(_process.Id, SigTerm) != 0) throw new InvalidOperationException("kill(SIGTERM) failed");
        if (!_process.WaitForExit(timeout)) throw new TimeoutException($"cgrid-meter did not stop within {timeout.TotalSeconds} s of SIGTERM\n{Transcript()}");
        _process.WaitForExit();
        return _process.ExitCode;
    }

    /// <summary>Waits for the process to end by itself (e.g. a start-up error).</summary>
    public int WaitForExit(TimeSpan timeout)
    {
        if (!_process.WaitForExit(timeout)) throw new TimeoutException($"cgrid-meter still running after {timeout.TotalSeconds} s\n{Transcript()}");
        _process.WaitForExit();
        return _process.ExitCode;
    }

    public void Dispose()
    {
        try
        {
            KillNine();
        }
        catch (InvalidOperationException)
        {
        }
        _process.Dispose();
    }

    private void OnLine(string? text)
    {
        if (text is null) return;
        var line = LogLine.Parse(text, DateTime.UtcNow);
        lock (_gate)
        {
            _lines.Add(line);
            Monitor.PulseAll(_gate);
        }
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int SendSignal(int pid, int signal);
}
