// Checks a balance (GET /houses/{id}/balance) without trusting the gateway that served it (docs/api.md "Checking
// the proof"): the leaf is rebuilt from the key and the value, proved into the state root of a block, whose commit
// the validators this browser trusts signed.
import { decode, encode, fromHex, equalBytes } from './cbor.js';
import { verifyInclusion } from './merkle.js';
import { checkCommit, setFor } from './commit.js';

/** Returns {verified, height, signers, total, problem}; `fetchBlock(h)` GETs /blocks/h. */
export async function verifyBalance(balance, houseId, trusted, fetchBlock) {
  const fail = problem => ({ verified: false, height: balance.height, signers: 0, total: setFor(trusted, balance.height).validators.length, problem });
  try {
    const p = balance.proof;
    if (p.key !== `balance/${houseId}`) return fail(`the proof is for '${p.key}', not this house's balance`);
    const value = fromHex(p.value);
    if (decode(value) !== BigInt(balance.balance)) return fail('the balance shown is not the value the proof proves');
    const leaf = encode([p.key, decode(value)]);
    if (!equalBytes(leaf, fromHex(p.leaf))) return fail('the proof leaf is not [key, value]');
    if (balance.height < 1) return fail('no block has been committed yet');
    const commit = await checkCommit(await fetchBlock(balance.height), trusted);
    if (!commit.ok) return { ...fail(commit.problem), signers: commit.signers };
    if (!(await verifyInclusion(leaf, p.leafIndex, p.treeSize, p.path.map(fromHex), commit.stateRoot))) {
      return { ...fail('the proof does not lead to the state root the validators signed'), signers: commit.signers };
    }
    return { verified: true, height: commit.height, signers: commit.signers, total: commit.total, problem: null };
  } catch (e) {
    return fail(`the proof could not be read: ${e.message}`);
  }
}
