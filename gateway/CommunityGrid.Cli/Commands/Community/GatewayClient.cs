using System;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using System.Threading;
using System.Threading.Tasks;
using CommunityGrid.Api.Json;

namespace CommunityGrid.Cli.Commands.Community;

/// <summary>The few calls the admin commands make to a gateway's HTTP API, parsed with the API's own JSON contract.</summary>
public sealed class GatewayClient : IDisposable
{
    private readonly HttpClient http;

    private GatewayClient(Uri baseAddress)
    {
        http = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(30) };
    }

    /// <exception cref="GatewayInputException">the address is not an absolute http(s) URL.</exception>
    public static GatewayClient For(string address)
    {
        if (!Uri.TryCreate(address, UriKind.Absolute, out Uri? uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            throw new GatewayInputException($"--gateway '{address}' must be the gateway's HTTP API address, e.g. http://127.0.0.1:8080");
        }
        return new GatewayClient(uri);
    }

    public Task<StatusResponse> StatusAsync(CancellationToken cancel) => GetAsync("/status", ApiJsonContext.Default.StatusResponse, cancel);

    public Task<SignerResponse> SignerAsync(string publicKeyHex, CancellationToken cancel) =>
        GetAsync("/signers/" + publicKeyHex, ApiJsonContext.Default.SignerResponse, cancel);

    /// <summary>Posts the transaction; returns its id when the gateway accepted it.</summary>
    /// <exception cref="GatewayRejectedException">the gateway answered with a problem; its detail says why.</exception>
    public async Task<string> SubmitAsync(byte[] transaction, CancellationToken cancel)
    {
        using var content = new ByteArrayContent(transaction);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/cbor");
        using HttpResponseMessage response = await Send(() => http.PostAsync("/transactions", content, cancel));
        string body = await response.Content.ReadAsStringAsync(cancel);
        if (response.IsSuccessStatusCode) return Parse(body, ApiJsonContext.Default.SubmitResponse).TxId;
        throw Rejected(response, body);
    }

    /// <summary>Whether the transaction is in a committed block (false while it waits in the mempool).</summary>
    /// <exception cref="GatewayRejectedException">the producer dropped it (410, with the chain's reason): it will never commit.</exception>
    public async Task<bool> IsCommittedAsync(string txId, CancellationToken cancel)
    {
        using HttpResponseMessage response = await Send(() => http.GetAsync("/transactions/" + txId, cancel));
        if (response.StatusCode == System.Net.HttpStatusCode.NotFound) return false;
        if (!response.IsSuccessStatusCode) throw Rejected(response, await response.Content.ReadAsStringAsync(cancel));
        return true;
    }

    public async Task<T> GetAsync<T>(string path, JsonTypeInfo<T> type, CancellationToken cancel)
    {
        using HttpResponseMessage response = await Send(() => http.GetAsync(path, cancel));
        string body = await response.Content.ReadAsStringAsync(cancel);
        if (!response.IsSuccessStatusCode) throw Rejected(response, body);
        return Parse(body, type);
    }

    private async Task<HttpResponseMessage> Send(Func<Task<HttpResponseMessage>> request)
    {
        try
        {
            return await request();
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            throw new GatewayUnreachableException(
                $"could not reach the gateway at {http.BaseAddress} ({e.Message}); check the --gateway address and that `cgrid gateway run` serves --http there");
        }
    }

    private T Parse<T>(string body, JsonTypeInfo<T> type)
    {
        try
        {
            return JsonSerializer.Deserialize(body, type) ?? throw new JsonException("null");
        }
        catch (JsonException)
        {
            throw new GatewayUnreachableException($"{http.BaseAddress} answered, but not like a CommunityGrid gateway; check the --gateway address");
        }
    }

    private static GatewayRejectedException Rejected(HttpResponseMessage response, string body)
    {
        string detail;
        try
        {
            detail = JsonSerializer.Deserialize(body, ApiJsonContext.Default.ApiProblem)?.Detail ?? body;
        }
        catch (JsonException)
        {
            detail = body.Length > 300 ? body[..300] : body;
        }
        return new GatewayRejectedException($"the gateway answered {(int)response.StatusCode}: {detail}");
    }

    public void Dispose() => http.Dispose();
}

/// <summary>An option value is unusable; nothing was sent.</summary>
public sealed class GatewayInputException(string message) : Exception(message);

/// <summary>The gateway could not be reached or did not answer like one.</summary>
public sealed class GatewayUnreachableException(string message) : Exception(message);

/// <summary>The gateway refused the request; the message carries its problem detail.</summary>
public sealed class GatewayRejectedException(string message) : Exception(message);
