// The community's web app: one page, two views (household, council), everything from the gateway that serves it,
// and the figures a household relies on checked in this browser (proof.js, commit.js).
import { money, pricePerKwh, tariff, kwh, watts, localTime, localDay, offsetMinutes, localMidnight } from './format.js';
import { verifyBalance } from './proof.js';
import { verifyStatement } from './settlements.js';
import { verifyReadings } from './readings.js';
import { validatorSetHash, readTrust, followSetChanges, setFor } from './commit.js';
import { importKeyFile, signVote, signStatement, signResolution, signSpending, minorUnits, nextNonce } from './tx.js';

const $ = id => document.getElementById(id);
const app = { status: null, houses: null, key: null, houseId: null, lastNonce: 0n, trusted: null };

async function get(path) {
  const response = await fetch(path, { headers: { accept: 'application/json' } });
  const body = await response.json().catch(() => ({}));
  if (!response.ok) throw new Error(body.detail ?? `${path}: HTTP ${response.status}`);
  return body;
}

function el(tag, text, attributes = {}) {
  const node = document.createElement(tag);
  if (text !== undefined && text !== null) node.textContent = String(text);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  return node;
}

function row(tbody, cells) {
  const tr = el('tr');
  cells.forEach((c, i) => tr.append(el(i === 0 ? 'th' : 'td', c, i === 0 ? { scope: 'row' } : {})));
  tbody.append(tr);
}

function definitions(dl, pairs) {
  dl.replaceChildren(...pairs.flatMap(([term, value]) => [el('dt', term), el('dd', value)]));
}

function showError(e) {
  $('error').hidden = false;
  $('error').textContent = e.message ?? String(e);
}

const m = minor => money(minor, app.houses.currency, app.houses.minorUnitDigits);

/**
 * The validator sets this browser trusts: pinned on first use per chain (by genesis hash), like an SSH host key, so a
 * gateway that later serves another chain or a made-up set is caught; from then on every change of the set is
 * followed block by block (commit.js followSetChanges) and kept, so a change decided by the community's vote is
 * believed only once the set trusted before it has signed it.
 */
async function trustedValidators() {
  const storageKey = `cgrid.validators.${app.status.genesisHash}`;
  const pinned = readTrust(JSON.parse(localStorage.getItem(storageKey) ?? 'null'));
  if (pinned) return pinned;
  const current = await get('/validators');
  if (await validatorSetHash(current.validators) !== current.hash) throw new Error('the gateway\'s validator set does not match its own hash');
  const trusted = { sets: [{ validators: current.validators, height: current.height }], followedTo: current.height };
  localStorage.setItem(storageKey, JSON.stringify(trusted));
  return trusted;
}

/** The trust, stepped across the set changes up to block `toHeight`; {problem} says why a step was refused (the trust is then kept as it was). */
async function currentTrust(toHeight = app.status.height) {
  app.trusted ??= await trustedValidators();
  try {
    app.trusted = await followSetChanges(app.trusted, Math.max(toHeight, app.status.height), get);
    localStorage.setItem(`cgrid.validators.${app.status.genesisHash}`, JSON.stringify(app.trusted));
    return { trust: app.trusted, problem: null };
  } catch (e) {
    return { trust: app.trusted, problem: e.message };
  }
}

async function loadStatus() {
  app.status = await get('/status');
  $('community').textContent = `CommunityGrid · ${app.status.chainId}`;
  $('chain-status').textContent = `Block ${app.status.height}, ${localTime(Math.floor(app.status.tipTimeMs / 1000))}`;
}

/**
 * "Today" is the local day of the chain's latest closed interval: the same as the calendar's on a live chain, and
 * the chain's own last day when browsing a simulated or stalled one.
 */
function chainMidnight() {
  const reference = app.status.lastClosedIntervalStart ?? app.status.nextIntervalStart;
  return localMidnight(new Date(reference * 1000));
}

function period(which) {
  const midnight = chainMidnight();
  const next = app.status.nextIntervalStart;
  switch (which) {
    case 'today': return { from: midnight, to: Math.max(next, midnight + 900) };
    case 'yesterday': return { from: midnight - 86400, to: midnight };
    case 'month': return { from: midnight - 29 * 86400, to: Math.max(next, midnight + 900) };
    default: return { from: midnight - 6 * 86400, to: Math.max(next, midnight + 900) };
  }
}

const statementPath = (house, p, format) =>
  `/houses/${encodeURIComponent(house)}/statement?from=${p.from}&to=${p.to}&offsetMinutes=${offsetMinutes(new Date(chainMidnight() * 1000))}${format ? `&format=${format}` : ''}`;

async function loadBalance(house) {
  const check = $('balance-check');
  check.className = 'check';
  check.textContent = 'Checking against the validators\' signatures…';
  const balance = await get(`/houses/${encodeURIComponent(house)}/balance`);
  $('balance').textContent = money(balance.balance, balance.currency, balance.minorUnitDigits);
  const { trust, problem } = await currentTrust(balance.height);
  const result = problem ? { verified: false, problem } : await verifyBalance(balance, house, trust, h => get(`/blocks/${h}`));
  check.className = `check ${result.verified ? 'verified' : 'unverified'}`;
  check.textContent = result.verified
    ? `Verified at block ${result.height} by ${result.signers} of ${result.total} gateways`
    : `Not verified: ${result.problem}. Do not rely on this figure; ask another gateway.`;
}

/** The readings behind the power and PV figures, checked against their blocks (readings.js). */
async function checkReadings(used) {
  const check = $('readings-check');
  check.className = 'check';
  const total = used.reduce((n, u) => n + u.readings.length, 0);
  if (total === 0) { check.textContent = 'No readings to check yet'; return; }
  const { trust, problem } = await currentTrust();
  for (const u of used) {
    const result = problem ? { verified: false, problem } : await verifyReadings(u.meterId, u.readings, trust, get);
    if (!result.verified) {
      check.className = 'check unverified';
      check.textContent = `Not verified: ${result.problem}. Do not rely on these figures; ask another gateway.`;
      return;
    }
  }
  check.className = 'check verified';
  check.textContent = `Readings verified in their blocks (${total} readings)`;
}

async function checkStatement() {
  const check = $('statement-check');
  if (!app.statement) return;
  check.className = 'check';
  check.textContent = `Checking ${app.statement.intervals.length} intervals against their blocks…`;
  const { trust, problem } = await currentTrust();
  const result = problem ? { verified: false, checked: 0, total: app.statement.intervals.length, problem }
    : await verifyStatement(app.houseId, app.statement, trust, get);
  check.className = `check ${result.verified ? 'verified' : 'unverified'}`;
  check.textContent = result.verified
    ? `Verified: all ${result.total} intervals are what their blocks recorded, signed by ${result.signers} of ${setFor(trust, app.status.height).validators.length} gateways`
    : `Not verified (${result.checked} of ${result.total} intervals checked): ${result.problem}. Do not rely on this statement; ask another gateway.`;
}

async function loadStatement(house) {
  const p = period($('period').value);
  const s = await get(statementPath(house, p));
  app.statement = s;
  $('statement-check').className = 'check';
  $('statement-check').textContent = 'The statement is not checked yet: it is what this gateway says.';
  $('csv').href = statementPath(house, p, 'csv');
  const days = $('statement-days').tBodies[0];
  days.replaceChildren();
  for (const d of s.days) {
    const l = d.line;
    row(days, [localDay(d.date), kwh(l.importInternalWh), kwh(l.importGridWh), kwh(l.exportInternalWh), kwh(l.exportGridWh), m(-l.net), m(l.gridAlone), m(l.saving)]);
  }
  const t = s.total;
  row(days, ['Total', kwh(t.importInternalWh), kwh(t.importGridWh), kwh(t.exportInternalWh), kwh(t.exportGridWh), m(-t.net), m(t.gridAlone), m(t.saving)]);
  const intervals = $('statement-intervals').tBodies[0];
  intervals.replaceChildren();
  for (const i of s.intervals) {
    const l = i.line;
    row(intervals, [localTime(i.intervalStart), pricePerKwh(i.internalPriceMicros, s.currency, s.minorUnitDigits),
      kwh(l.importInternalWh), kwh(l.importGridWh), kwh(l.exportInternalWh), kwh(l.exportGridWh), m(l.net)]);
  }
  return s;
}

async function loadEnergy(house, meters) {
  const mine = meters.meters.filter(x => x.houseId === house);
  const midnight = chainMidnight();
  let power = [], pvToday = 0;
  const used = [];
  // Readings carry cumulative registers (docs/protocol.md §3): power is the difference of the last two over the time
  // between them, today's PV the last register minus the one at local midnight (the reading of the interval before).
  const rate = (a, b, register) => (b[register] - a[register]) * 3600 / (b.intervalStart - a.intervalStart);
  for (const meter of mine) {
    const after = Math.max(0, meter.lastSequence - 97);
    const readings = (await get(`/meters/${encodeURIComponent(meter.meterId)}/readings?after=${after}&limit=100`)).readings;
    const [previous, last] = readings.slice(-2);
    used.push({ meterId: meter.meterId, readings: readings.slice(-2) });
    if (meter.role === 'pv') {
      const baseline = readings.filter(r => r.intervalStart < midnight).at(-1) ?? readings[0];
      if (baseline && !used.at(-1).readings.includes(baseline)) used.at(-1).readings.unshift(baseline);
      if (last) pvToday += last.pvWh - baseline.pvWh;
      if (previous) power.push(['PV', watts(rate(previous, last, 'pvWh'))]);
    } else if (previous) {
      power.push(['Import', watts(rate(previous, last, 'importWh'))], ['Export', watts(rate(previous, last, 'exportWh'))]);
    }
  }
  definitions($('power'), power.length ? power : [['Not two readings yet', '–']]);
  await checkReadings(used);
  const today = await get(statementPath(house, period('today')));
  const t = today.total;
  definitions($('today'), [['PV', kwh(pvToday)], ['Import', kwh(t.importWh)], ['Export', kwh(t.exportWh)], ['Paid today', m(-t.net)]]);
  const prices = today.intervals.map(i => i.internalPriceMicros).filter(p => p !== null && p !== undefined);
  let now = '–';
  if (app.status.lastClosedIntervalStart !== null && app.status.lastClosedIntervalStart !== undefined) {
    const last = await get(`/intervals/${app.status.lastClosedIntervalStart}/settlement`);
    now = last.settlement.internalPriceMicros === null || last.settlement.internalPriceMicros === undefined
      ? 'grid tariffs' : pricePerKwh(last.settlement.internalPriceMicros, today.currency, today.minorUnitDigits);
  }
  definitions($('price'), [
    ['Inside, last interval', now],
    ['Inside today', prices.length ? `${pricePerKwh(Math.min(...prices), today.currency, today.minorUnitDigits)} – ${pricePerKwh(Math.max(...prices), today.currency, today.minorUnitDigits)}` : '–'],
    ['Grid retail', tariff(today.retailPrice, today.currency, today.minorUnitDigits)],
    ['Grid feed-in', tariff(today.feedInPrice, today.currency, today.minorUnitDigits)],
  ]);
  const health = $('meter-health');
  health.replaceChildren(...mine.map(meter => {
    const item = el('li');
    item.append(el('strong', `${meter.meterId} (${meter.role === 'pv' ? 'PV' : 'grid connection'})`), el('br'),
      el('span', meter.lastIntervalStart ? `Last reading: interval of ${localTime(meter.lastIntervalStart)}` : 'No reading yet'));
    if (meter.rejected.length) {
      item.append(el('br'), el('span', `Rejected readings: ${meter.rejected.map(r => `${r.count} × ${r.reason}`).join(', ')}`));
    } else {
      item.append(el('br'), el('span', 'No rejected readings seen by this gateway'));
    }
    return item;
  }));
}

function tallyText(p) {
  const t = p.tally;
  return `${p.final ? 'Result' : 'So far'}: yes ${t.yes} · no ${t.no} · abstain ${t.abstain} · ${t.turnout} of ${t.electorate} houses voted`;
}

/** Proposals with a tally each: the recorded one once closed, the count so far (from /proposals/{id}) while open. */
async function proposalsWithTallies() {
  const { proposals } = await get('/proposals');
  return Promise.all(proposals.map(async p => p.tally
    ? { ...p, final: true }
    : { ...p, tally: (await get(`/proposals/${p.id}`)).tally, final: false }));
}

async function loadGovernance() {
  const proposals = await proposalsWithTallies();
  const list = $('proposals');
  list.replaceChildren();
  const select = $('statement-proposal');
  select.replaceChildren(el('option', 'none', { value: '' }));
  for (const p of [...proposals].reverse()) {
    const item = el('li', null, { 'data-proposal': p.id });
    item.append(el('strong', p.title), el('br'), el('span', `${p.kind}, ${p.status}, proposed by ${p.proposer}`), el('br'),
      el('span', tallyText(p), { class: 'tally' }));
    if (p.status === 'open') {
      item.append(el('br'), el('span', `Voting closes ${localTime(Math.floor(p.closesMs / 1000))}`));
      const votes = el('div', null, { class: 'votes', role: 'group', 'aria-label': `Vote on ${p.title}` });
      for (const choice of ['yes', 'no', 'abstain']) {
        const button = el('button', `Vote ${choice}`, { type: 'button', 'data-choice': choice });
        button.disabled = !app.key;
        button.addEventListener('click', () => act(key => signVote(key, app.status.chainId, takeNonce(), p.id, choice), `vote ${choice} on “${p.title}”`));
        votes.append(button);
      }
      item.append(votes);
      select.append(el('option', p.title, { value: p.id }));
    }
    list.append(item);
  }
  const { statements } = await get('/statements?limit=100');
  $('statements').replaceChildren(...[...statements].reverse().map(s => {
    const item = el('li');
    item.append(el('strong', `${s.houseId}, ${localTime(Math.floor(s.timeMs / 1000))}`), el('br'), el('span', s.text));
    return item;
  }));
  for (const form of ['new-proposal', 'new-statement']) $(form).querySelector('fieldset').disabled = !app.key;
  return proposals;
}

function takeNonce() {
  app.lastNonce = nextNonce(app.lastNonce);
  return app.lastNonce;
}

/** Signs with the member key, submits, and follows the transaction until its block commits or it is refused. */
async function act(build, what) {
  const status = $('action-status');
  try {
    const tx = await build(app.key);
    status.textContent = `Sending your ${what}…`;
    const response = await fetch('/transactions', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ hex: tx.hex }) });
    const body = await response.json();
    if (response.status !== 202) { status.textContent = `The gateway refused your ${what}: ${body.detail}`; return; }
    status.textContent = `Your ${what} is waiting for the next block (transaction ${tx.txId.slice(0, 12)}…)`;
    for (let attempt = 0; attempt < 120; attempt++) {
      const check = await fetch(`/transactions/${tx.txId}`, { headers: { accept: 'application/json' } });
      if (check.status === 200) {
        const committed = await check.json();
        status.textContent = `Your ${what} is in block ${committed.height}.`;
        await loadStatus();
        await loadGovernance();
        return;
      }
      if (check.status === 410) { status.textContent = `Your ${what} was refused at block time: ${(await check.json()).detail}`; return; }
      await new Promise(resolve => setTimeout(resolve, 500));
    }
    status.textContent = `Your ${what} has not reached a block after a minute; the gateway may be stalled.`;
  } catch (e) {
    status.textContent = `Could not send your ${what}: ${e.message}`;
  }
}

async function loadHousehold() {
  const house = app.houseId;
  if (!house) return;
  const meters = await get('/meters');
  await Promise.all([loadBalance(house), loadStatement(house), loadEnergy(house, meters), loadGovernance()]);
}

async function onKeyFile(event) {
  const file = event.target.files[0];
  if (!file) return;
  const status = $('key-status');
  try {
    const key = await importKeyFile(await file.text());
    const signer = await get(`/signers/${key.publicKeyHex}`);
    if (!signer.roles.includes('member')) {
      status.textContent = 'This key is not a member key of this community: it cannot vote or post here.';
      return;
    }
    app.key = key;
    app.lastNonce = BigInt(signer.lastNonce);
    app.houseId = signer.houseId;
    $('house').value = signer.houseId;
    status.textContent = `Member key of house ${signer.houseId} loaded; it stays in this browser and signs here.`;
    await loadHousehold();
  } catch (e) {
    status.textContent = e.message;
  } finally {
    event.target.value = '';
  }
}

async function loadCouncil() {
  const midnight = chainMidnight();
  const [today, week, fund, validators, meters, proposals] = await Promise.all([
    get(`/community/totals?from=${midnight}&to=${Math.max(app.status.nextIntervalStart, midnight + 900)}&offsetMinutes=${offsetMinutes(new Date(chainMidnight() * 1000))}`),
    get(`/community/totals?from=${midnight - 6 * 86400}&to=${Math.max(app.status.nextIntervalStart, midnight + 900)}&offsetMinutes=${offsetMinutes(new Date(chainMidnight() * 1000))}`),
    get(`/fund?after=${midnight - 6 * 86400 - 1}&limit=1000`),
    get('/validators'),
    get('/meters'),
    proposalsWithTallies(),
  ]);
  const money7 = minor => money(minor, fund.currency, fund.minorUnitDigits);
  const pct = permille => (permille === null || permille === undefined ? '–' : `${(permille / 10).toFixed(1)} %`);
  const totals = $('totals');
  totals.replaceChildren(...[['Today', today.total], ['Last 7 days', week.total]].map(([title, t]) => {
    const card = el('article', null, { class: 'card' });
    const dl = el('dl');
    definitions(dl, [['Self-sufficiency', pct(t.selfSufficiencyPermille)], ['Self-consumption', pct(t.selfConsumptionPermille)],
      ['Traded inside', kwh(t.internalWh)], ['Grid import', kwh(t.gridImportWh)], ['Grid export', kwh(t.gridExportWh)],
      ['Savings against the grid alone', money7(t.saving)], ['Fund income', money7(t.fundIncome)]]);
    card.append(el('h3', title), dl);
    return card;
  }));
  $('fund').textContent = money7(fund.fund);
  const perDay = new Map();
  for (const i of fund.income) {
    const day = new Date(i.intervalStart * 1000).toLocaleDateString(undefined, { weekday: 'short', day: 'numeric', month: 'short' });
    perDay.set(day, (perDay.get(day) ?? 0) + i.amount);
  }
  const fundDays = $('fund-days').tBodies[0];
  fundDays.replaceChildren();
  for (const [day, amount] of perDay) row(fundDays, [day, money7(amount)]);
  const payouts = $('payouts').tBodies[0];
  payouts.replaceChildren();
  for (const p of fund.payouts) row(payouts, [localTime(Math.floor(p.timeMs / 1000)), money7(p.amount), p.payee, p.purpose, p.proposalId.slice(0, 12)]);
  const gateways = $('gateways').tBodies[0];
  gateways.replaceChildren();
  // /status `consensus` is this gateway's own view (docs/api.md): its links to the others, the heights they last
  // reported, and how deciding goes; /validators what the chain says of each: its last precommit and recorded evidence.
  const consensus = app.status.consensus;
  for (const v of validators.validators) {
    const peer = consensus?.peers.find(p => p.key === v.publicKey);
    const link = !consensus ? '—' : !peer ? 'this gateway' : peer.connected ? 'connected' : `down${peer.lastError ? ` (${peer.lastError})` : ''}`;
    const height = !peer ? `block ${app.status.height}` : peer.height === null || peer.height === undefined ? 'not reported' : `block ${peer.height}`;
    const signed = v.lastSignedHeight === null || v.lastSignedHeight === undefined ? 'not in the recent commits'
      : `block ${v.lastSignedHeight}${v.lastSignedHeight === validators.height ? ' (the tip)' : ''}`;
    const evidence = v.evidence === 0 ? 'none' : `${v.evidence} offence${v.evidence === 1 ? '' : 's'} recorded`;
    row(gateways, [v.publicKey.slice(0, 16) + '…', v.address, link, height, signed, evidence]);
  }
  $('consensus-summary').textContent = !consensus
    ? 'This community has one gateway: it makes the blocks alone.'
    : `This gateway: ${consensus.step === 'idle' ? 'waiting for something to decide' : `deciding block ${consensus.height}, round ${consensus.round}`}; `
      + `last block stored ${consensus.lastCommitUnixMs ? localTime(Math.floor(consensus.lastCommitUnixMs / 1000)) : 'not yet'}; `
      + `${consensus.heightsDecided ? (consensus.roundsTotal / consensus.heightsDecided).toFixed(2) : '—'} rounds per block over the `
      + `${consensus.heightsDecided} blocks it decided since it started (1.00: every block in its first round).`;
  const silentSince = app.status.nextIntervalStart - 3600;
  const silent = meters.meters.filter(x => x.lastIntervalStart < silentSince);
  $('silent').replaceChildren(...(silent.length ? silent.map(x => el('li',
    `${x.meterId} (house ${x.houseId}): ${x.lastIntervalStart ? `last reading ${localTime(x.lastIntervalStart)}` : 'never sent a reading'}`))
    : [el('li', 'Every meter has been heard from.')]));
  const table = $('council-proposals').tBodies[0];
  table.replaceChildren();
  for (const p of [...proposals].reverse()) row(table, [p.title, p.kind, p.status, p.tally.yes, p.tally.no, p.tally.abstain, p.tally.electorate]);
}

function show(view) {
  for (const name of ['household', 'council']) {
    $(name).hidden = name !== view;
    $(`tab-${name}`).setAttribute('aria-pressed', String(name === view));
  }
  if (location.hash !== `#${view}`) history.replaceState(null, '', `#${view}`);
  const load = view === 'council' ? loadCouncil() : loadHousehold();
  load.catch(showError);
}

async function start() {
  try {
    await loadStatus();
    app.houses = await get('/houses');
    const select = $('house');
    select.replaceChildren(...app.houses.houses.map(h => el('option', h.houseId, { value: h.houseId })));
    app.houseId = app.houses.houses[0]?.houseId ?? null;
    select.addEventListener('change', () => { app.houseId = select.value; loadHousehold().catch(showError); });
    $('period').addEventListener('change', () => loadStatement(app.houseId).catch(showError));
    $('check-statement').addEventListener('click', () => checkStatement().catch(showError));
    $('keyfile').addEventListener('change', onKeyFile);
    $('tab-household').addEventListener('click', () => show('household'));
    $('tab-council').addEventListener('click', () => show('council'));
    $('proposal-kind').addEventListener('change', () => { $('spending-fields').hidden = $('proposal-kind').value !== 'spending'; });
    $('new-proposal').addEventListener('submit', event => {
      event.preventDefault();
      const title = $('proposal-title').value.trim();
      const text = $('proposal-text').value;
      if ($('proposal-kind').value === 'resolution') {
        act(key => signResolution(key, app.status.chainId, takeNonce(), title, text), `proposal “${title}”`);
        return;
      }
      const amount = minorUnits($('spending-amount').value, app.houses.minorUnitDigits);
      if (amount === null || amount === 0n) {
        $('action-status').textContent = `The amount must be a positive number with at most ${app.houses.minorUnitDigits} decimals, e.g. 250.00`;
        return;
      }
      act(key => signSpending(key, app.status.chainId, takeNonce(), title, text, amount, $('spending-payee-kind').value,
        $('spending-payee').value.trim(), $('spending-purpose').value.trim()), `proposal “${title}”`);
    });
    $('new-statement').addEventListener('submit', event => {
      event.preventDefault();
      act(key => signStatement(key, app.status.chainId, takeNonce(), $('statement-text').value, $('statement-proposal').value || null, null), 'statement');
    });
    show(location.hash === '#council' ? 'council' : 'household');
    document.body.dataset.ready = 'true';
  } catch (e) {
    showError(e);
  }
}

start();
