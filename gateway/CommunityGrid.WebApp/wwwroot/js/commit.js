// The commit check, kept in this one module so it follows the commit format (docs/chain.md §6): a commit is the
// consensus certificate of one round, [[validator key, signature] ...] as GET /blocks lists them with `commitRound`,
// each signature the validator's precommit: Ed25519 over the canonical CBOR
// ["communitygrid/consensus/v1", chainId, 3, height, round, header hash] (docs/consensus.md §2.1), valid with
// floor(2n/3) + 1 distinct validators of the set the browser trusts.
import { decode, encode, field, fromHex, equalBytes, hex } from './cbor.js';
import { sha256 } from './merkle.js';

export const CommitDomain = 'communitygrid/consensus/v1';
const Precommit = 3;

/** SHA-256 of the canonical CBOR [[key, address] ...] of a validator set sorted by key (docs/chain.md §1). */
export async function validatorSetHash(validators) {
  const sorted = [...validators].sort((a, b) => (a.publicKey < b.publicKey ? -1 : a.publicKey > b.publicKey ? 1 : 0));
  return hex(await sha256(encode(sorted.map(v => [fromHex(v.publicKey), v.address]))));
}

async function verifyEd25519(publicKey, signature, message) {
  try {
    const key = await crypto.subtle.importKey('raw', publicKey, { name: 'Ed25519' }, false, ['verify']);
    return await crypto.subtle.verify({ name: 'Ed25519' }, key, signature, message);
  } catch {
    return false;
  }
}

/**
 * Checks block `block` (GET /blocks/{h}) against `trusted` ({validators: [{publicKey, address}]}, kept by the
 * browser, not taken from this block). Returns {ok, height, txRoot, stateRoot, settlementRoot, signers, total, problem}: the header fields
 * come from the header's own bytes, never from the gateway's JSON.
 */
export async function checkCommit(block, trusted) {
  const total = trusted.validators.length;
  const result = { ok: false, height: null, txRoot: null, stateRoot: null, settlementRoot: null, signers: 0, total, problem: null };
  const headerBytes = fromHex(block.headerCbor);
  const headerHash = await sha256(headerBytes);
  if (hex(headerHash) !== block.hash) return { ...result, problem: 'the block hash is not the hash of its header' };
  const header = decode(headerBytes);
  const chainId = field(header, 1, 'header');
  const height = field(header, 2, 'header');
  result.height = Number(height);
  result.txRoot = field(header, 5, 'header');
  result.stateRoot = field(header, 6, 'header');
  result.settlementRoot = field(header, 7, 'header');
  if (hex(field(header, 8, 'header')) !== await validatorSetHash(trusted.validators)) {
    return { ...result, problem: 'the block names a validator set other than the one this browser trusts' };
  }
  if (!Number.isInteger(block.commitRound) || block.commitRound < 0) return { ...result, problem: 'the block carries no commit round' };
  const message = encode([CommitDomain, chainId, Precommit, height, block.commitRound, headerHash]);
  const counted = new Set();
  for (const s of block.commit) {
    if (counted.has(s.validatorKey) || !trusted.validators.some(v => v.publicKey === s.validatorKey)) continue;
    if (await verifyEd25519(fromHex(s.validatorKey), fromHex(s.signature), message)) counted.add(s.validatorKey);
  }
  result.signers = counted.size;
  const quorum = Math.floor(2 * total / 3) + 1;
  if (counted.size < quorum) return { ...result, problem: `only ${counted.size} of ${total} validators signed the block; ${quorum} are needed` };
  return { ...result, ok: true };
}

export { equalBytes };
