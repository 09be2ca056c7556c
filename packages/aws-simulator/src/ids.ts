const LOWER_ALNUM = 'abcdefghijklmnopqrstuvwxyz0123456789';
const UPPER_ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

/**
 * cyrb53: a fast 53-bit string hash. Ids only need to be stable and spread out, not
 * cryptographic; a hash object per id made loading large generated estates GC-bound.
 */
function hash53(text: string): number {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 2654435761);
    h2 = Math.imul(h2 ^ c, 1597334677);
  }
  h1 =
    Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^
    Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 =
    Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^
    Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return 4294967296 * (2097151 & h2) + (h1 >>> 0);
}

/** Bytes derived from a seed string: the same seed always gives the same bytes. */
function seededBytes(seed: string, length: number): Uint8Array {
  const hash = hash53(seed);
  const low = seededRandom(hash >>> 0);
  const high = seededRandom(Math.floor(hash / 4294967296));
  const bytes = new Uint8Array(length);
  for (let i = 0; i < length; i++) {
    // Two streams from the two halves of the hash: ids draw on all 53 bits.
    bytes[i] = Math.floor((i % 2 === 0 ? low() : high()) * 256);
  }
  return bytes;
}

function fromAlphabet(seed: string, length: number, alphabet: string): string {
  let out = '';
  for (const byte of seededBytes(seed, length)) {
    out += alphabet[byte % alphabet.length];
  }
  return out;
}

/** Deterministic ids in the formats AWS uses, so estates need not spell every id out. */
export const ids = {
  /** REST/HTTP API ids, domain name ids: 10 lowercase alphanumerics. */
  api: (seed: string) => fromAlphabet(seed, 10, LOWER_ALNUM),
  /** Resource, authorizer, deployment, VPC link, mapping ids: 6 lowercase alphanumerics. */
  short: (seed: string) => fromAlphabet(seed, 6, LOWER_ALNUM),
  /** v2 integration and route ids: 7 lowercase alphanumerics. */
  v2: (seed: string) => fromAlphabet(seed, 7, LOWER_ALNUM),
  hex: (seed: string, length: number) =>
    toHex(seededBytes(seed, Math.ceil(length / 2))).slice(0, length),
  /** `{prefix}-` + 17 hex digits: vpc-, vpce-, subnet-, sg-, eni-. */
  resource: (prefix: string, seed: string) =>
    `${prefix}-${toHex(seededBytes(seed, 9)).slice(0, 17)}`,
  upper: (seed: string, length: number) =>
    fromAlphabet(seed, length, UPPER_ALNUM),
  /** A number in [0, 1) derived from the seed. */
  unit: (seed: string) => seededRandom(hash53(seed) % 4294967296)(),
};

function toHex(bytes: Uint8Array): string {
  let out = '';
  for (const byte of bytes) out += byte.toString(16).padStart(2, '0');
  return out;
}

/**
 * mulberry32: a small seeded PRNG. Used where a sequence of draws must repeat run after
 * run (fault rates, the scale-estate generator).
 */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}
