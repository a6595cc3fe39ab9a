// Deterministic CBOR (RFC 8949 §4.2, docs/protocol.md §2) for the few shapes the chain uses: unsigned and negative
// integers (BigInt beyond 2^53), text, bytes, arrays, maps with integer keys written in the order given (callers
// give them ascending), null and tag 18. Decoding returns the same shapes and refuses anything non-canonical.

export function hex(bytes) {
  return Array.from(bytes, b => b.toString(16).padStart(2, '0')).join('');
}

export function fromHex(text) {
  if (typeof text !== 'string' || text.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(text)) throw new Error(`not hex: ${text}`);
  const out = new Uint8Array(text.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(text.substr(i * 2, 2), 16);
  return out;
}

export function concat(...parts) {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) { out.set(p, at); at += p.length; }
  return out;
}

export function equalBytes(a, b) {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i] ^ b[i];
  return diff === 0;
}

/** A map whose entries are written in the given order: [[key, value], ...]. */
export class CborMap { constructor(entries) { this.entries = entries; } }
export class Tagged { constructor(tag, value) { this.tag = tag; this.value = value; } }

function head(major, value) {
  const n = BigInt(value);
  const m = major << 5;
  if (n < 24n) return Uint8Array.of(m | Number(n));
  if (n < 0x100n) return Uint8Array.of(m | 24, Number(n));
  if (n < 0x10000n) return Uint8Array.of(m | 25, Number(n >> 8n), Number(n & 0xffn));
  const wide = n < 0x100000000n ? 4 : 8;
  const out = new Uint8Array(1 + wide);
  out[0] = m | (wide === 4 ? 26 : 27);
  for (let i = 0; i < wide; i++) out[wide - i] = Number((n >> BigInt(8 * i)) & 0xffn);
  return out;
}

export function encode(value) {
  if (value === null) return Uint8Array.of(0xf6);
  if (typeof value === 'number' || typeof value === 'bigint') {
    const n = BigInt(value);
    return n >= 0n ? head(0, n) : head(1, -1n - n);
  }
  if (typeof value === 'string') {
    const utf8 = new TextEncoder().encode(value);
    return concat(head(3, utf8.length), utf8);
  }
  if (value instanceof Uint8Array) return concat(head(2, value.length), value);
  if (Array.isArray(value)) return concat(head(4, value.length), ...value.map(encode));
  if (value instanceof CborMap) return concat(head(5, value.entries.length), ...value.entries.flatMap(([k, v]) => [encode(k), encode(v)]));
  if (value instanceof Tagged) return concat(head(6, value.tag), encode(value.value));
  throw new Error(`cannot encode ${typeof value}`);
}

/** Decodes one item that must fill `bytes` exactly. Integers come back as BigInt, maps as CborMap. */
export function decode(bytes) {
  let at = 0;
  const need = n => { if (at + n > bytes.length) throw new Error('CBOR ends early'); };
  const argument = info => {
    if (info < 24) return BigInt(info);
    const width = { 24: 1, 25: 2, 26: 4, 27: 8 }[info];
    if (!width) throw new Error(`CBOR: unsupported additional info ${info}`);
    need(width);
    let n = 0n;
    for (let i = 0; i < width; i++) n = (n << 8n) | BigInt(bytes[at++]);
    const shortest = width === 1 ? n >= 24n : n >= (1n << BigInt(4 * width));
    if (!shortest) throw new Error('CBOR: integer not in its shortest form');
    return n;
  };
  const item = () => {
    need(1);
    const first = bytes[at++];
    const major = first >> 5, info = first & 31;
    if (major === 7) {
      if (first === 0xf6) return null;
      if (first === 0xf4) return false;
      if (first === 0xf5) return true;
      throw new Error(`CBOR: unsupported simple value 0x${first.toString(16)}`);
    }
    const n = argument(info);
    switch (major) {
      case 0: return n;
      case 1: return -1n - n;
      case 2: { need(Number(n)); const b = bytes.slice(at, at + Number(n)); at += Number(n); return b; }
      case 3: { need(Number(n)); const t = new TextDecoder('utf-8', { fatal: true }).decode(bytes.slice(at, at + Number(n))); at += Number(n); return t; }
      case 4: return Array.from({ length: Number(n) }, item);
      case 5: return new CborMap(Array.from({ length: Number(n) }, () => [item(), item()]));
      case 6: return new Tagged(Number(n), item());
      default: throw new Error(`CBOR: major type ${major}`);
    }
  };
  const value = item();
  if (at !== bytes.length) throw new Error('CBOR: bytes after the item');
  return value;
}

/** The value under integer key `key` of a decoded map, or throws naming what is missing. */
export function field(map, key, what) {
  const entry = map.entries.find(([k]) => k === BigInt(key));
  if (!entry) throw new Error(`${what}: field ${key} is missing`);
  return entry[1];
}
