using System;
using System.Diagnostics;
using System.Text;
using System.Threading;

namespace CommunityGrid.Meter.Linux.Tests.ModbusPeer;

/// <summary>A child process whose stdout/stderr are collected, with bounded waits; killed with its children on Dispose.</summary>
public sealed class PeerProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly object _gate = new();

    public PeerProcess(string file, string arguments)
    {
        var info = new ProcessStartInfo(file, arguments)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        _process = new Process { StartInfo = info };
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.Start();
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    public string Output()
    {
        lock (_gate) return _output.ToString();
    }

    /// <summary>True once a line starting with <paramref name="prefix"/> has been printed; false on timeout or exit.</summary>
    public bool WaitForLine(string prefix, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        lock (_gate)
        {
            while (true)
            {
                if (OutputHas(prefix)) return true;
                var left = deadline - DateTime.UtcNow;
                if (left <= TimeSpan.Zero) return false;
                if (_process.HasExited)
                {
                    Monitor.Wait(_gate, 200); // let the last output lines arrive
                    return OutputHas(prefix);
                }
                Monitor.Wait(_gate, left < TimeSpan.FromMilliseconds(100) ? left : TimeSpan.FromMilliseconds(100));
            }
        }
    }

    private bool OutputHas(string prefix)
    {
        foreach (string line in _output.ToString().Split('\n'))
        {
            if (line.StartsWith(prefix, StringComparison.Ordinal)) return true;
        }
        return false;
    }

    public bool WaitForExit(TimeSpan timeout)
    {
        if (!_process.WaitForExit(timeout)) return false;
        _process.WaitForExit(); // drain the asynchronous output readers
        return true;
    }

    public void Stop()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(5000);
        }
    }

    public void Dispose()
    {
        try { Stop(); } catch (InvalidOperationException) { }
        _process.Dispose();
    }

    private void Append(string? line)
    {
        if (line == null) return;
        lock (_gate)
        {
            _output.Append(line).Append('\n');
            Monitor.PulseAll(_gate);
        }
    }
}
