using System;
using System.CommandLine;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using CommunityGrid.Api.Json;
using CommunityGrid.Chain.Transactions;
using CommunityGrid.Formats.Cose;
using CommunityGrid.Formats.Keys;
using CommunityGrid.Formats.Signing;

namespace CommunityGrid.Cli.Commands.Community;

/// <summary>
/// What <c>meter enrol</c>, <c>member add</c> and <c>payment</c> share: ask the gateway for the chain id and the
/// signer's last nonce, sign the payload with the key file, post it, print the transaction id.
/// </summary>
public static class AdminSubmission
{
    public static Option<string> GatewayOption() =>
        new("--gateway") { Description = "The gateway's HTTP API, e.g. http://127.0.0.1:8080", Required = true };

    public static Option<long?> NonceOption() => new("--nonce")
    {
        Description = "Nonce for this transaction (default: the current Unix time in ms, or the key's last nonce + 1 if that is larger)",
    };

    public static Option<int> WaitOption() => new("--wait")
    {
        Description = "Wait up to this many seconds for the transaction to be committed in a block (default 0: return once the gateway accepted it)",
        DefaultValueFactory = _ => 0,
    };

    /// <summary>
    /// The default nonce. Nonces need only increase per signer (gaps are fine), so the clock in milliseconds works
    /// without coordination, also for several transactions sent before a block commits, which a "last committed
    /// nonce + 1" alone would collide on. The committed nonce guards against a clock set back.
    /// </summary>
    public static long DefaultNonce(long lastNonce, long nowUnixMs) => Math.Max(nowUnixMs, lastNonce + 1);

    /// <param name="role">The role the signer must hold ("installer", "treasurer"), checked before signing for a clear message.</param>
    /// <param name="build">The payload, given the chain id and the nonce.</param>
    public static Task<int> RunAsync(ParseResult parseResult, string gatewayAddress, string keyPath, string role, long? explicitNonce,
        int waitSeconds, Func<string, long, AdminPayload> build, CancellationToken cancel) =>
        RunAsync(parseResult, gatewayAddress, keyPath, role, explicitNonce, waitSeconds, (StatusResponse status, long nonce) => build(status.ChainId, nonce), cancel);

    /// <param name="build">The payload, given the gateway's status (chain id, currency and its minor digits) and the nonce; throws
    /// <see cref="GatewayInputException"/> for input that the chain's parameters make invalid (exit 2, nothing signed).</param>
    public static async Task<int> RunAsync(ParseResult parseResult, string gatewayAddress, string keyPath, string role, long? explicitNonce,
        int waitSeconds, Func<StatusResponse, long, AdminPayload> build, CancellationToken cancel)
    {
        TextWriter stdout = parseResult.InvocationConfiguration.Output;
        TextWriter stderr = parseResult.InvocationConfiguration.Error;
        if (waitSeconds is < 0 or > 3600)
        {
            stderr.WriteLine($"error: --wait must be 0..3600 seconds, got {waitSeconds}");
            return ExitCodes.BadInput;
        }
        if (explicitNonce is < 1)
        {
            stderr.WriteLine($"error: --nonce must be at least 1, got {explicitNonce}");
            return ExitCodes.BadInput;
        }
        try
        {
            KeyFile key = KeyFile.Read(keyPath);
            using GatewayClient gateway = GatewayClient.For(gatewayAddress);
            StatusResponse status = await gateway.StatusAsync(cancel);
            SignerResponse signer = await gateway.SignerAsync(key.PublicKeyHex, cancel);
            if (!signer.Roles.Contains(role))
            {
                stderr.WriteLine($"error: key {key.PublicKeyHex} ({keyPath}) does not hold the {role} role on chain '{status.ChainId}'; use a {role} key named in the genesis file");
                return ExitCodes.CheckFailed;
            }
            if (explicitNonce is { } n && n <= signer.LastNonce)
            {
                stderr.WriteLine($"error: --nonce {n} is not above this key's last nonce {signer.LastNonce}; leave --nonce out or give a larger one");
                return ExitCodes.CheckFailed;
            }
            long nonce = explicitNonce ?? DefaultNonce(signer.LastNonce, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
            AdminPayload payload = build(status, nonce);
            using Ed25519Signer signing = Ed25519Signer.FromSeed(key.Seed);
            byte[] transaction = CoseSign1Codec.Sign(payload.Encode(), TxContentTypes.Of(payload.Type), signing);

            string txId = await gateway.SubmitAsync(transaction, cancel);
            bool json = Input.JsonOutput.Requested(parseResult);
            if (!json) stdout.WriteLine(txId);
            if (waitSeconds == 0)
            {
                if (json) WriteJson(stdout, txId, payload, status.ChainId, key.PublicKeyHex, committed: false);
                stderr.WriteLine($"submitted (nonce {nonce}); it is in the chain once GET {gatewayAddress.TrimEnd('/')}/transactions/{txId} answers");
                return ExitCodes.Success;
            }
            bool committed = await WaitForCommitAsync(gateway, txId, TimeSpan.FromSeconds(waitSeconds), cancel);
            if (json) WriteJson(stdout, txId, payload, status.ChainId, key.PublicKeyHex, committed);
            if (committed) return ExitCodes.Success;
            // A transaction dropped at block time ends the wait early (410 with the reason, thrown above); this is the slow case.
            stderr.WriteLine($"error: the transaction was accepted but is not in a block after {waitSeconds} s; it still waits in the mempool, so block production may be stalled (GET /status shows the interval lag)");
            return ExitCodes.CheckFailed;
        }
        catch (Exception e) when (e is KeyFileException or GatewayInputException)
        {
            stderr.WriteLine("error: " + e.Message);
            return ExitCodes.BadInput;
        }
        catch (Exception e) when (e is GatewayUnreachableException or GatewayRejectedException)
        {
            stderr.WriteLine("error: " + e.Message);
            return ExitCodes.CheckFailed;
        }
    }

    /// <param name="committed">False: accepted into the mempool, not (yet) in a block.</param>
    private static void WriteJson(TextWriter stdout, string txId, AdminPayload payload, string chainId, string signer, bool committed) =>
        Input.JsonOutput.Write(stdout, json =>
        {
            json.WriteStartObject();
            json.WriteString("txId", txId);
            json.WriteString("type", ChainJson.TypeName(payload.Type));
            json.WriteString("chainId", chainId);
            json.WriteString("signer", signer);
            json.WriteNumber("nonce", payload.Nonce);
            json.WriteString("status", committed ? "committed" : "pending");
            json.WriteEndObject();
        });

    private static async Task<bool> WaitForCommitAsync(GatewayClient gateway, string txId, TimeSpan limit, CancellationToken cancel)
    {
        DateTime deadline = DateTime.UtcNow + limit;
        while (true)
        {
            if (await gateway.IsCommittedAsync(txId, cancel)) return true;
            if (DateTime.UtcNow >= deadline) return false;
            await Task.Delay(TimeSpan.FromMilliseconds(250), cancel);
        }
    }

    /// <summary>An amount option in the chain's minor units, within 1..<paramref name="max"/>.</summary>
    /// <exception cref="GatewayInputException">not a whole number of minor units of the chain's currency, or out of range (exit 2).</exception>
    internal static long Amount(string text, string option, StatusResponse status, long max)
    {
        long? minor = Input.MoneyAmount.ToMinorUnits(text, status.MinorUnitDigits, status.Currency, option, out string? problem);
        if (minor is null) throw new GatewayInputException(problem!);
        if (minor < 1 || minor > max)
        {
            throw new GatewayInputException($"{option} {text} {status.Currency} is outside what the chain takes: "
                + $"{Input.MoneyAmount.Format(1, status.MinorUnitDigits)} to {Input.MoneyAmount.Format(max, status.MinorUnitDigits)} {status.Currency}");
        }
        return minor.Value;
    }

    /// <summary>The key's bytes, or null unless <paramref name="hex"/> is 32 bytes as 64 hex digits.</summary>
    public static byte[]? ParseKey(string hex)
    {
        if (hex.Length != AdminPayload.KeySize * 2) return null;
        try
        {
            return Convert.FromHexString(hex);
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
