// Checks meter readings (GET /meters/{id}/readings) without trusting the gateway: each reading's transaction must be in
// the transaction root of a block whose commit checks out (commit.js); a committed reading passed the chain's rules
// (the enrolled meter's signature among them) before the validators signed the block, so its signed payload is what
// the meter measured. The figures shown must be the payload's.
import { decode, field, fromHex, hex, Tagged } from './cbor.js';
import { sha256, verifyInclusion } from './merkle.js';
import { checkCommit } from './commit.js';

/** Returns {verified, checked, total, signers, problem}; `get(path)` GETs from the gateway. */
export async function verifyReadings(meterId, readings, trusted, get) {
  const commits = new Map();
  let checked = 0;
  const fail = problem => ({ verified: false, checked, total: readings.length, signers: 0, problem });
  try {
    for (const r of readings) {
      const tx = await get(`/transactions/${r.txId}`);
      const bytes = fromHex(tx.bytes);
      if (hex(await sha256(bytes)) !== r.txId) return fail(`reading ${r.sequence}: the transaction is not the one its id names`);
      if (!commits.has(tx.height)) commits.set(tx.height, await checkCommit(await get(`/blocks/${tx.height}`), trusted));
      const commit = commits.get(tx.height);
      if (!commit.ok) return fail(`block ${tx.height}: ${commit.problem}`);
      if (!(await verifyInclusion(bytes, tx.proof.leafIndex, tx.proof.treeSize, tx.proof.path.map(fromHex), commit.txRoot))) {
        return fail(`reading ${r.sequence} is not in block ${tx.height}`);
      }
      const message = decode(bytes);
      if (!(message instanceof Tagged) || message.tag !== 18) return fail(`reading ${r.sequence} is not a signed reading`);
      const payload = decode(message.value[2]);
      const signed = [field(payload, 2, 'reading'), ...[3, 4, 6, 7, 8].map(k => Number(field(payload, k, 'reading')))];
      const shown = [meterId, r.sequence, r.intervalStart, r.importWh, r.exportWh, r.pvWh];
      if (signed.some((value, i) => value !== shown[i])) return fail(`reading ${r.sequence} is not what meter ${meterId} signed`);
      checked++;
    }
    const signers = Math.min(...[...commits.values()].map(c => c.signers));
    return { verified: true, checked, total: readings.length, signers: Number.isFinite(signers) ? signers : 0, problem: null };
  } catch (e) {
    return fail(`a reading could not be read: ${e.message}`);
  }
}
