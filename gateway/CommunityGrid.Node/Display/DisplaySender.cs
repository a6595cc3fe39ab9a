using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using CommunityGrid.Chain.Blocks;
using CommunityGrid.Formats.Signing;
using CommunityGrid.Node.Publishing;
using Microsoft.Extensions.Logging;

namespace CommunityGrid.Node.Display;

/// <summary>
/// Keeps every enrolled meter's retained display topic current through a <see cref="RetainedTopicPump"/>. Production
/// reports each block once it is durable; the pump then takes the figures at the tip (which never runs ahead of the
/// disk), signs them and publishes them. Start-up and a block that closes an interval refresh every meter; any other block
/// refreshes only meters whose price or balance changed or that have nothing yet (a payment, an enrolment). A meter
/// whose sessions all take proofs gets none and costs no signature (<see cref="IDisplayPublisher.MeterTakesDisplayDataAsync"/>);
/// the publisher is asked about such a meter once, not after every block, until it reports that the meter's sessions
/// changed (<see cref="IDisplayPublisher.DisplayNeedMayHaveChanged"/>): with 2,000 light clients, a session lookup per
/// meter and block was a cost of the ingest (issue 18).
/// </summary>
public sealed class DisplaySender : IAsyncDisposable
{
    private const int ChangedMeters = 1;
    private const int EveryMeter = 2;

    private readonly Func<IReadOnlyList<MeterDisplay>> takeFigures;
    private readonly Ed25519Signer gateway;
    private readonly ILogger logger;
    private readonly RetainedTopicPump pump;
    // What each meter's topic holds, as far as this process knows; touched only by the pump.
    private readonly Dictionary<string, MeterDisplay> published = new(StringComparer.Ordinal);
    // Meters whose sessions all took proofs when the publisher was last asked; touched only by the pump.
    private readonly HashSet<string> takingProofs = new(StringComparer.Ordinal);
    // Meters whose sessions changed since the last round (any thread adds, the pump takes them out of takingProofs).
    private readonly object changedGate = new();
    private HashSet<string> sessionsChanged = new(StringComparer.Ordinal);
    private int wanted;
    private long sent;
    private long notNeeded;
    private IDisplayPublisher? target;

    /// <param name="takeFigures">Every meter's figures at the durable tip (<see cref="DisplayFigures.Take"/> under the store lock).</param>
    public DisplaySender(Func<IReadOnlyList<MeterDisplay>> takeFigures, Ed25519Signer gateway, ILogger logger)
    {
        this.takeFigures = takeFigures;
        this.gateway = gateway;
        this.logger = logger;
        // The meters a failed round missed were forgotten in `published`, so they count as changed.
        pump = new RetainedTopicPump(RoundAsync, () => Interlocked.Or(ref wanted, ChangedMeters));
    }

    /// <summary>Display messages published so far (tests and diagnostics).</summary>
    public long Sent => Interlocked.Read(ref sent);

    /// <summary>Display messages neither signed nor published because every session of the meter takes proofs.</summary>
    public long NotNeeded => Interlocked.Read(ref notNeeded);

    /// <summary>Publishes every meter's current figures through <paramref name="target"/>, then follows the blocks.</summary>
    public void Start(IDisplayPublisher target)
    {
        target.DisplayNeedMayHaveChanged += SessionsChanged;
        Volatile.Write(ref this.target, target);
        Request(EveryMeter);
        pump.Start();
    }

    /// <summary>Call only once <paramref name="block"/> is durably stored.</summary>
    public void BlockCommitted(Block block) => Request(block.Body.Settlements.Count > 0 ? EveryMeter : ChangedMeters);

    /// <summary>
    /// The meter is asked about again at the next round: the one after the next block, as when it was asked after every
    /// block. An answer the pump got before this call may have missed the change; the next round drops it too.
    /// </summary>
    private void SessionsChanged(string meterId)
    {
        lock (changedGate) sessionsChanged.Add(meterId);
    }

    private void ForgetChangedSessions()
    {
        HashSet<string> changed;
        lock (changedGate)
        {
            if (sessionsChanged.Count == 0) return;
            changed = sessionsChanged;
            sessionsChanged = new HashSet<string>(StringComparer.Ordinal);
        }
        takingProofs.ExceptWith(changed);
    }

    private void Request(int scope)
    {
        Interlocked.Or(ref wanted, scope);
        pump.Wake();
    }

    private Task<int> RoundAsync(bool failedBefore)
    {
        int scope = Interlocked.Exchange(ref wanted, 0);
        return scope == 0 ? Task.FromResult(0) : PublishAsync(Volatile.Read(ref target)!, (scope & EveryMeter) != 0, failedBefore);
    }

    /// <returns>How many meters did not get their figures.</returns>
    private async Task<int> PublishAsync(IDisplayPublisher target, bool everyMeter, bool failedBefore)
    {
        IReadOnlyList<MeterDisplay> figures;
        try
        {
            figures = takeFigures();
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            logger.LogError(e, "display figures could not be read; retrying: {Error}", e.Message);
            return 1;
        }
        ForgetChangedSessions();
        int delivered = 0, failed = 0, notNeeded = 0;
        string? firstError = null;
        foreach (MeterDisplay display in figures)
        {
            if (!everyMeter && published.TryGetValue(display.MeterId, out MeterDisplay? shown) && shown.ShowsSameAs(display)) continue;
            if (takingProofs.Contains(display.MeterId))
            {
                notNeeded++;
                continue;
            }
            try
            {
                if (!await TakesDisplayDataAsync(target, display.MeterId).ConfigureAwait(false))
                {
                    // A light client has price and balance proved (protocol.md §7.6). Not remembered as published: once
                    // the publisher reports a change of its sessions (one that stops taking proofs), the meter is asked
                    // about again at the next round and gets its figures then.
                    published.Remove(display.MeterId);
                    takingProofs.Add(display.MeterId);
                    notNeeded++;
                    continue;
                }
                await pump.PublishAsync(cancel => target.PublishDisplayAsync(display.MeterId, display.Sign(gateway), cancel)).ConfigureAwait(false);
                published[display.MeterId] = display;
                delivered++;
            }
            catch (Exception e) when (e is not OutOfMemoryException && !pump.Stopping)
            {
                published.Remove(display.MeterId);
                failed++;
                firstError ??= e.Message;
            }
        }
        Interlocked.Add(ref sent, delivered);
        Interlocked.Add(ref this.notNeeded, notNeeded);
        if (delivered > 0) logger.LogInformation("display published height={Height} meters={Count}", figures[0].Height, delivered);
        if (failed > 0)
        {
            // An external broker is usually still connecting when the node starts; only a repeated failure deserves a warning.
            logger.Log(failedBefore ? LogLevel.Warning : LogLevel.Debug,
                "display not delivered meters={Failed}: {Error}; retrying", failed, firstError);
        }
        return failed;
    }

    private static async Task<bool> TakesDisplayDataAsync(IDisplayPublisher target, string meterId)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        return await target.MeterTakesDisplayDataAsync(meterId, timeout.Token).ConfigureAwait(false);
    }

    /// <summary>Stops publishing; the topics keep what was last published.</summary>
    public ValueTask DisposeAsync()
    {
        if (Volatile.Read(ref target) is { } publisher) publisher.DisplayNeedMayHaveChanged -= SessionsChanged;
        return pump.DisposeAsync();
    }
}
