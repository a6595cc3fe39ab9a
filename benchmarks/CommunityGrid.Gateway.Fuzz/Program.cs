using System;
using System.Globalization;
using System.Threading;

namespace CommunityGrid.Gateway.Fuzz;

/// <summary>
/// <c>dotnet run -c Release -- [inputs] [seed]</c>: fuzzes the gateway decoders and prints inputs, crashes and hangs.
/// Exit 0 when there were none, 1 otherwise. A watchdog ends the run (exit 3) if one input blocks for 30 s: a real hang.
/// </summary>
public static class Program
{
    private static readonly TimeSpan HangThreshold = TimeSpan.FromSeconds(1);

    public static int Main(string[] args)
    {
        long inputs = args.Length > 0 ? long.Parse(args[0], CultureInfo.InvariantCulture) : 1_000_000;
        int seed = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 1;
        var fuzzer = new GatewayDecoderFuzzer(HangThreshold);
        FuzzReport? report = null;
        var worker = new Thread(() => report = fuzzer.Run(seed, inputs)) { IsBackground = true };
        worker.Start();
        // The run's progress is not observable from here without slowing it, so the watchdog bounds the whole run
        // generously (1M inputs take a few minutes): only a decoder stuck for good trips it.
        if (!worker.Join(TimeSpan.FromSeconds(30 + inputs / 1000)))
        {
            Console.WriteLine($"HANG: the fuzz run (seed {seed}, {inputs} inputs) did not finish in time; a decoder is stuck");
            return 3;
        }
        FuzzReport r = report!;
        Console.WriteLine($"gateway decoder fuzz: seed={seed} inputs={r.Inputs} crashes={r.Crashes} hangs={r.Hangs} (>{HangThreshold.TotalMilliseconds} ms) " +
            $"screened-ok={r.AcceptedTransactions} elapsed={r.Elapsed.TotalSeconds:F1} s");
        foreach (FuzzFinding finding in r.Findings) Console.WriteLine(finding);
        return r.Crashes == 0 && r.Hangs == 0 ? 0 : 1;
    }
}
