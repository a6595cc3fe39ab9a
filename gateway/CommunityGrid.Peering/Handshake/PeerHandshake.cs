using System;
using System.IO;
using System.Security.Cryptography;
using System.Threading;
using System.Threading.Tasks;
using CommunityGrid.Peering.Transport;

namespace CommunityGrid.Peering.Handshake;

/// <summary>
/// The key proof that runs inside a finished TLS 1.3 connection (docs/peering.md, "Handshake"): both ends send a
/// hello (key, fresh nonce, chain id), check the other's against the validator set, then both send an Ed25519
/// signature over the transcript that binds both certificates, both keys, both nonces, the chain id and the
/// signer's role. Any failure is a <see cref="PeerProtocolException"/> whose message is the logged reason; the
/// peer is told the reason when this end refuses.
/// </summary>
internal sealed class PeerHandshake
{
    private readonly LocalIdentity identity;
    private readonly Func<ValidatorDirectory> currentValidators;
    private readonly string chainId;

    public PeerHandshake(LocalIdentity identity, Func<ValidatorDirectory> currentValidators, string chainId)
    {
        this.identity = identity;
        this.currentValidators = currentValidators;
        this.chainId = chainId;
    }

    /// <summary>Runs the proof; returns the peer's authenticated key.</summary>
    /// <param name="expectedPeer">For the dialer: the validator the dialed address belongs to. Null for the listener.</param>
    public async Task<PeerKey> RunAsync(Stream tls, HandshakeRole role, PeerKey? expectedPeer, byte[] localCertificate, byte[] remoteCertificate, CancellationToken cancellationToken)
    {
        byte[] localNonce = RandomNumberGenerator.GetBytes(ControlMessages.NonceBytes);
        var localHello = new ControlMessages.Hello(ControlMessages.ProtocolVersion, identity.PublicKey, localNonce, chainId);
        await SendAsync(tls, ControlMessages.EncodeHello(localHello), cancellationToken).ConfigureAwait(false);

        ControlMessages.Hello remoteHello = ControlMessages.DecodeHello(await ReceiveAsync(tls, cancellationToken).ConfigureAwait(false));
        string? refusal = CheckHello(remoteHello, role, expectedPeer);
        if (refusal is not null)
        {
            await TryRefuseAsync(tls, refusal, cancellationToken).ConfigureAwait(false);
            throw new PeerProtocolException(refusal);
        }

        bool dialer = role == HandshakeRole.Dialer;
        var parts = new Transcript.Parts(
            chainId,
            dialer ? identity.PublicKey : remoteHello.Key,
            dialer ? remoteHello.Key : identity.PublicKey,
            dialer ? localNonce : remoteHello.Nonce,
            dialer ? remoteHello.Nonce : localNonce,
            dialer ? localCertificate : remoteCertificate,
            dialer ? remoteCertificate : localCertificate);
        byte[] signature = identity.Sign(Transcript.Build(role, parts));
        await SendAsync(tls, ControlMessages.EncodeProof(signature), cancellationToken).ConfigureAwait(false);

        byte[] remoteSignature = ControlMessages.DecodeProof(await ReceiveAsync(tls, cancellationToken).ConfigureAwait(false));
        HandshakeRole remoteRole = dialer ? HandshakeRole.Listener : HandshakeRole.Dialer;
        if (!LocalIdentity.Verify(remoteHello.Key, Transcript.Build(remoteRole, parts), remoteSignature))
        {
            string reason = $"the key proof of validator {remoteHello.Key.Short} does not verify over this connection: "
                + "it was signed for another TLS channel (a relay or man in the middle) or with another key";
            await TryRefuseAsync(tls, reason, cancellationToken).ConfigureAwait(false);
            throw new PeerProtocolException(reason);
        }
        return remoteHello.Key;
    }

    private string? CheckHello(ControlMessages.Hello hello, HandshakeRole role, PeerKey? expectedPeer)
    {
        ValidatorDirectory validators = currentValidators();
        if (hello.Version != ControlMessages.ProtocolVersion)
        {
            return $"the peer speaks peering protocol version {hello.Version}, this node version {ControlMessages.ProtocolVersion}";
        }
        if (hello.ChainId != chainId)
        {
            return $"the peer is on chain '{hello.ChainId}', this node on '{chainId}'";
        }
        if (hello.Key.Equals(identity.PublicKey))
        {
            return $"the peer presents this node's own key {hello.Key.Short} (a connection reflected back, or a copy of this node's key)";
        }
        if (!validators.TryGet(hello.Key, out _))
        {
            return $"key {hello.Key.Short} is not in the validator set";
        }
        if (role == HandshakeRole.Dialer && expectedPeer is not null && !hello.Key.Equals(expectedPeer))
        {
            return $"the address of validator {expectedPeer.Short} answered with key {hello.Key.Short}";
        }
        if (role == HandshakeRole.Listener && validators.DialsTo(hello.Key))
        {
            return $"validator {hello.Key.Short} dialed this node, but of each pair only the lower key dials";
        }
        return null;
    }

    private static ValueTask SendAsync(Stream tls, byte[] payload, CancellationToken cancellationToken) =>
        FrameCodec.WriteAsync(tls, ControlMessages.Channel, payload, ControlMessages.MaxHandshakeFrameBytes, cancellationToken);

    private static async Task<byte[]> ReceiveAsync(Stream tls, CancellationToken cancellationToken)
    {
        Frame? frame = await FrameCodec.ReadAsync(tls, ControlMessages.MaxHandshakeFrameBytes, cancellationToken).ConfigureAwait(false)
            ?? throw new PeerProtocolException("the peer closed the connection during the handshake");
        if (frame.Value.Channel != ControlMessages.Channel)
        {
            throw new PeerProtocolException($"the peer sent on channel {frame.Value.Channel} before the handshake finished");
        }
        return frame.Value.Payload;
    }

    private static async Task TryRefuseAsync(Stream tls, string reason, CancellationToken cancellationToken)
    {
        try
        {
            await SendAsync(tls, ControlMessages.EncodeRefusal(reason), cancellationToken).ConfigureAwait(false);
            await tls.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException)
        {
            // Telling the peer why is a courtesy; the refusal stands either way.
        }
    }
}
