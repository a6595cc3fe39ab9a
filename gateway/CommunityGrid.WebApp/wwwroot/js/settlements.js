// Checks a statement's intervals (GET /houses/{id}/statement) without trusting the gateway: each interval's settlement
// result, as recorded in its block, is proved into the block's settlement root (RFC 6962), the block's commit is
// checked (commit.js), and the house's entry in the result must be what the statement says.
import { decode, field, fromHex } from './cbor.js';
import { verifyInclusion } from './merkle.js';
import { checkCommit } from './commit.js';

const Compared = ['importWh', 'exportWh', 'importInternalWh', 'exportInternalWh', 'cost', 'revenue', 'net'];

/** Returns {verified, checked, total, problem}; `get(path)` GETs from the gateway. */
export async function verifyStatement(houseId, statement, trusted, get) {
  const commits = new Map();
  let checked = 0;
  const fail = problem => ({ verified: false, checked, total: statement.intervals.length, problem });
  try {
    for (const interval of statement.intervals) {
      const s = await get(`/intervals/${interval.intervalStart}/settlement`);
      if (!commits.has(s.height)) commits.set(s.height, await checkCommit(await get(`/blocks/${s.height}`), trusted));
      const commit = commits.get(s.height);
      if (!commit.ok) return fail(`block ${s.height}: ${commit.problem}`);
      const encoded = fromHex(s.encoded);
      if (!(await verifyInclusion(encoded, s.proof.leafIndex, s.proof.treeSize, s.proof.path.map(fromHex), commit.settlementRoot))) {
        return fail(`the settlement of ${new Date(interval.intervalStart * 1000).toLocaleString()} is not the one block ${s.height} commits to`);
      }
      const result = decode(encoded);
      if (field(result, 1, 'settlement') !== BigInt(interval.intervalStart)) return fail('a settlement proof is for another interval');
      const entry = field(result, 4, 'settlement').find(h => h[0] === houseId);
      if (!entry) return fail(`block ${s.height} settled no energy of this house in that interval`);
      const figures = entry.slice(1).map(Number);
      const line = interval.line;
      if (Compared.some((name, i) => figures[i] !== line[name])) {
        return fail(`the statement's figures for ${new Date(interval.intervalStart * 1000).toLocaleString()} are not the ones block ${s.height} recorded`);
      }
      checked++;
    }
    const signers = Math.min(...[...commits.values()].map(c => c.signers));
    return { verified: true, checked, total: statement.intervals.length, signers: Number.isFinite(signers) ? signers : 0, problem: null };
  } catch (e) {
    return fail(`a settlement could not be read: ${e.message}`);
  }
}
