// Member transactions signed in the browser, byte for byte as `cgrid` signs them (docs/chain.md §2,
// docs/governance.md §2): a tagged COSE_Sign1 [protected {1: -8, 3: content type}, {4: kid}, payload, signature]
// whose Ed25519 signature covers ["Signature1", protected, h'', payload]. The key never leaves this page.
import { encode, fromHex, hex, CborMap, Tagged } from './cbor.js';
import { sha256 } from './merkle.js';

const ContentType = type => `application/vnd.communitygrid.tx.${type}+cbor`;
export const Choices = { yes: 1, no: 2, abstain: 3 };
const SpendingKind = 2;
const ResolutionKind = 9;

function base64url(bytes) {
  return btoa(String.fromCharCode(...bytes)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/**
 * Reads a key file of `cgrid keys new` ({format: "communitygrid-key-v1", algorithm: "Ed25519", publicKey, seed}) into a
 * non-extractable WebCrypto key. Throws with what is wrong; WebCrypto checks the public key against the seed.
 */
export async function importKeyFile(text) {
  let json;
  try { json = JSON.parse(text); } catch { throw new Error('this is not a key file (not JSON); choose the file `cgrid keys new` wrote'); }
  if (json?.format !== 'communitygrid-key-v1' || json.algorithm !== 'Ed25519') {
    throw new Error('this is not a CommunityGrid key file (expected format communitygrid-key-v1, Ed25519)');
  }
  if (!/^[0-9a-fA-F]{64}$/.test(json.seed ?? '') || !/^[0-9a-fA-F]{64}$/.test(json.publicKey ?? '')) {
    throw new Error('the key file\'s seed and public key must be 64 hex digits each');
  }
  const publicKey = fromHex(json.publicKey);
  let privateKey;
  try {
    privateKey = await crypto.subtle.importKey('jwk',
      { kty: 'OKP', crv: 'Ed25519', d: base64url(fromHex(json.seed)), x: base64url(publicKey) }, { name: 'Ed25519' }, false, ['sign']);
  } catch {
    throw new Error('the key file\'s public key does not belong to its seed (the file is damaged)');
  }
  return { publicKey, publicKeyHex: hex(publicKey), privateKey };
}

async function sign(payload, type, key) {
  const protectedHeader = encode(new CborMap([[1, -8], [3, ContentType(type)]]));
  const toSign = encode(['Signature1', protectedHeader, new Uint8Array(0), payload]);
  const signature = new Uint8Array(await crypto.subtle.sign({ name: 'Ed25519' }, key.privateKey, toSign));
  const bytes = encode(new Tagged(18, [protectedHeader, new CborMap([[4, key.publicKey]]), payload, signature]));
  return { bytes, hex: hex(bytes), txId: hex(await sha256(bytes)) };
}

const admin = (chainId, nonce, fields) => encode(new CborMap([[1, chainId], [2, BigInt(nonce)], ...fields]));

export function signVote(key, chainId, nonce, proposalId, choice) {
  if (!(choice in Choices)) throw new Error(`a vote is yes, no or abstain, not '${choice}'`);
  return sign(admin(chainId, nonce, [[3, fromHex(proposalId)], [4, Choices[choice]]]), 'vote', key);
}

export function signStatement(key, chainId, nonce, text, proposalId, follows) {
  return sign(admin(chainId, nonce, [[3, text], [4, proposalId ? fromHex(proposalId) : null], [5, follows ? fromHex(follows) : null]]), 'statement', key);
}

/** A resolution: a question put to a vote that changes nothing on the chain by itself (docs/governance.md). */
export function signResolution(key, chainId, nonce, title, text) {
  return sign(admin(chainId, nonce, [[3, title], [4, text], [5, ResolutionKind], [6, new CborMap([])]]), 'proposal', key);
}

/**
 * A spending from the community fund (docs/governance.md): `amount` in minor units, to a member house or to someone
 * outside the chain (`payeeKind` 'house' or 'external'), for `purpose`.
 */
export function signSpending(key, chainId, nonce, title, text, amount, payeeKind, payee, purpose) {
  const kind = { house: 1, external: 2 }[payeeKind];
  if (!kind) throw new Error(`the payee is a house or external, not '${payeeKind}'`);
  const effect = new CborMap([[1, BigInt(amount)], [2, kind], [3, payee], [4, purpose]]);
  return sign(admin(chainId, nonce, [[3, title], [4, text], [5, SpendingKind], [6, effect]]), 'proposal', key);
}

/** Minor units from a decimal amount typed in major units ("12.5" with 2 digits is 1250), exactly; null when malformed. */
export function minorUnits(text, digits) {
  const match = /^\s*(\d{1,13})(?:[.,](\d*))?\s*$/.exec(text);
  if (!match || (match[2] ?? '').length > digits) return null;
  return BigInt(match[1]) * 10n ** BigInt(digits) + BigInt((match[2] ?? '').padEnd(digits, '0') || '0');
}

/** As `cgrid`: max(now in ms, last committed nonce + 1), so several actions before a block still increase. */
export function nextNonce(lastNonce, nowMs = Date.now()) {
  return BigInt(Math.max(nowMs, Number(lastNonce) + 1));
}
