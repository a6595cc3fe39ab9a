// The commit check, kept in this one module so it follows the commit format (docs/chain.md §6): a commit is the
// consensus certificate of one round, [[validator key, signature] ...] as GET /blocks lists them with `commitRound`,
// each signature the validator's precommit: Ed25519 over the canonical CBOR
// ["communitygrid/consensus/v1", chainId, 3, height, round, header hash] (docs/consensus.md §2.1), valid with
// floor(2n/3) + 1 distinct validators of the set the browser trusts for that block.
//
// The trust is a list of sets, oldest first, each {validators, height}: the set named by field 8 of header `height`,
// which signs the blocks after it (docs/chain.md §6, the next set's hash). A set change decided in block H is named by
// header H+1 and signs from H+2 (docs/consensus.md): `followSetChanges` steps across it by the adjacent-header rule
// (docs/meter.md "Light client"), checking the announcing header's commit with the set trusted until then and the
// offered members against its field 8, so the gateway that serves the change need not be believed.
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

/** The trusted set that signs block `height`: the newest one named by a header before it (the first for older blocks). */
export function setFor(trust, height) {
  let set = trust.sets[0];
  for (const s of trust.sets) if (s.height < height) set = s;
  return set;
}

/** The trust kept in localStorage; a browser that pinned before set changes were followed kept {validators, pinnedAtHeight}. */
export function readTrust(stored) {
  if (!stored) return null;
  return stored.sets ? stored : { sets: [{ validators: stored.validators, height: stored.pinnedAtHeight }] };
}

/**
 * Steps the trust across every set change announced after the newest trusted set up to header `toHeight`, so that
 * blocks up to `toHeight` (and the set each names for the block after it) are known. `get(path)` GETs from the gateway.
 * Throws with the reason when a step does not check out; the trust is then unchanged.
 */
export async function followSetChanges(trust, toHeight, get) {
  const sets = [...trust.sets];
  // Headers up to `from` have been looked through: the newest set is the one they name.
  let from = Math.max(trust.followedTo ?? 0, sets[sets.length - 1].height);
  while (from < toHeight) {
    const page = await get(`/validators/changes?after=${from}&to=${toHeight}`);
    if (page.to <= from) break; // the gateway is behind: the block checks will say what it cannot show
    for (const change of page.changes) {
      const last = sets[sets.length - 1];
      if (change.height <= from || change.height > page.to) throw new Error(`the gateway announced a set change at block ${change.height}, outside the blocks it was asked about`);
      const block = await get(`/blocks/${change.height}`);
      // The announcing header is signed by the set the header before it named: the newest one trusted.
      const check = await checkCommit(block, { sets: [last] }, { announces: true });
      if (!check.ok) throw new Error(`the validator-set change at block ${change.height} is not signed by the validators this browser trusts: ${check.problem}`);
      if (check.nextSetHash !== await validatorSetHash(change.validators)) {
        throw new Error(`block ${change.height} names another validator set than the one the gateway offers for it`);
      }
      sets.push({ validators: change.validators, height: change.height });
    }
    from = page.to;
  }
  return { sets, followedTo: from };
}

/**
 * Checks block `block` (GET /blocks/{h}) against `trust` (kept by the browser, not taken from this block): its commit
 * must carry a quorum of the set that signs it and its header must name the set the browser knows for the block after
 * it. Returns {ok, height, txRoot, stateRoot, settlementRoot, nextSetHash, signers, total, problem}: the header fields
 * come from the header's own bytes, never from the gateway's JSON. With `announces`, the header may name a new set
 * (followSetChanges checks it against the members offered).
 */
export async function checkCommit(block, trust, { announces = false } = {}) {
  const headerBytes = fromHex(block.headerCbor);
  const headerHash = await sha256(headerBytes);
  const header = decode(headerBytes);
  const height = field(header, 2, 'header');
  const trusted = setFor(trust, Number(height));
  const total = trusted.validators.length;
  const result = { ok: false, height: Number(height), txRoot: null, stateRoot: null, settlementRoot: null, nextSetHash: null, signers: 0, total, problem: null };
  if (hex(headerHash) !== block.hash) return { ...result, problem: 'the block hash is not the hash of its header' };
  const chainId = field(header, 1, 'header');
  result.txRoot = field(header, 5, 'header');
  result.stateRoot = field(header, 6, 'header');
  result.settlementRoot = field(header, 7, 'header');
  result.nextSetHash = hex(field(header, 8, 'header'));
  if (!announces && result.nextSetHash !== await validatorSetHash(setFor(trust, Number(height) + 1).validators)) {
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
